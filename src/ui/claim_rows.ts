/**
 * The page's claim-by-claim table, built from a diagnosis on the server so
 * the browser only renders: one row per check (algorithm, typ, signature,
 * iss, aud, the time claims, required claims), then one per finding no
 * check row holds. The status of a row is its worst finding.
 */
import type { Diagnosis } from '../diagnose.ts';
import { REASONS, type Finding, type OwnerRole, type ReasonCode } from '../reasons.ts';

export type RowStatus = 'pass' | 'fail' | 'warn' | 'info' | 'not_checked';

export interface ClaimRow {
  /** The claim or header member ('iss', 'header.alg', 'signature', ...). */
  claim: string;
  /** As decoded from the token (untrusted unless the signature passed). */
  token: unknown;
  expected: unknown;
  status: RowStatus;
  /** Reason codes of the findings on this row, in the order found. */
  codes: ReasonCode[];
  hint?: string;
  owner?: OwnerRole;
  /** The team the contract names for that owner. */
  team?: string;
}

const SEVERITY_STATUS = { error: 'fail', warning: 'warn', info: 'info' } as const;

/** Where a finding without a claim goes: by its category. */
const CATEGORY_ROW: Partial<Record<string, string>> = { key: 'signature', signature: 'signature', algorithm: 'header.alg' };

/** The claim rows of a diagnosis (see the module comment). */
export function buildClaimRows(d: Diagnosis): ClaimRow[] {
  const claims = d.claims ?? {};
  const header = d.header ?? {};
  const byRow = groupFindings(d.findings);
  const rows: ClaimRow[] = [];
  const add = (claim: string, token: unknown, expected: unknown, checked = true) =>
    rows.push(makeRow(d, claim, token, expected, checked, byRow.get(claim) ?? []));
  add('header.alg', header.alg, d.expected.algorithms);
  if (d.expected.typ !== undefined || byRow.has('header.typ')) add('header.typ', header.typ, d.expected.typ);
  add('signature', signatureLabel(d), 'a trusted key of this environment');
  add('iss', claims.iss, d.expected.issuer, d.expected.issuer !== undefined);
  add('aud', claims.aud, d.expected.audience, d.expected.audience !== undefined);
  const tol = `now within tolerance ${d.clock.toleranceSeconds} s`;
  for (const t of ['exp', 'nbf', 'iat'] as const) if (claims[t] !== undefined || byRow.has(t)) add(t, claims[t], tol);
  for (const c of d.expected.requiredClaims ?? []) if (!rows.some((r) => r.claim === c)) add(c, claims[c], 'present');
  for (const [claim, fs] of byRow)
    if (!rows.some((r) => r.claim === claim)) rows.push(makeRow(d, claim, claims[claim], fs[0]?.expected, true, fs));
  return rows;
}

function groupFindings(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.claim ?? CATEGORY_ROW[REASONS[f.code].category] ?? f.code;
    out.set(key, [...(out.get(key) ?? []), f]);
  }
  return out;
}

function makeRow(d: Diagnosis, claim: string, token: unknown, expected: unknown, checked: boolean, fs: readonly Finding[]): ClaimRow {
  const worst = fs.find((f) => f.severity === 'error') ?? fs.find((f) => f.severity === 'warning') ?? fs[0];
  const unverified = claim === 'signature' && d.signature.status !== 'pass';
  const status: RowStatus = worst ? SEVERITY_STATUS[worst.severity] : checked && !unverified ? 'pass' : 'not_checked';
  const row: ClaimRow = { claim, token, expected, status, codes: [...new Set(fs.map((f) => f.code))] };
  if (worst) row.hint = worst.hint;
  if (worst?.owner) {
    row.owner = worst.owner;
    const team = d.owners?.[worst.owner];
    if (team !== undefined) row.team = team;
  }
  return row;
}

function signatureLabel(d: Diagnosis): string {
  const s = d.signature;
  const kid = s.kid ?? d.header?.kid;
  return `${s.status}${kid !== undefined ? ` (kid ${String(kid)})` : ''}`;
}
