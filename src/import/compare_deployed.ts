/**
 * `contract check-deployed` (issue 15 item 3): the contract's environment
 * against what the deployed verifier's own config says, field by field.
 * Pure: both sides are already read.
 */
import type { Expectations } from '../expectations.ts';
import { jwkThumbprint } from '../keys/import.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import type { ImportedEnvironment } from './types.ts';

const FIELDS = ['issuer', 'audience', 'algorithms', 'keys', 'tokenSource', 'clockToleranceSeconds', 'requiredClaims'] as const;
type Field = (typeof FIELDS)[number];

/** One field of the comparison: equal, or a deployed_config_drift finding. */
export interface DeployedField {
  field: Field;
  contract: unknown;
  deployed: unknown;
  same: boolean;
}

export interface DeployedComparison {
  fields: DeployedField[];
  findings: Finding[];
}

/**
 * Compares what both sides state: a field the deployed config does not
 * state (Kong has no audience) is a finding only when the contract expects
 * something there (the deployed verifier checks less than the contract says).
 *
 * @example compareDeployed(contract.environments.staging, importEnvoy(text, file)).findings
 */
export function compareDeployed(env: Expectations, deployed: ImportedEnvironment): DeployedComparison {
  const fields: DeployedField[] = [];
  const findings: Finding[] = [];
  for (const field of FIELDS) {
    const c = normalize(field, field === 'tokenSource' ? (env.tokenSource ?? { header: 'authorization', scheme: 'Bearer' }) : env[field]);
    const d = normalize(field, deployed.fields[field]);
    const same = JSON.stringify(c) === JSON.stringify(d) || (d === undefined && c === undefined);
    fields.push({ field, contract: c ?? null, deployed: d ?? null, same });
    if (same) continue;
    findings.push(
      makeFinding('deployed_config_drift', {
        claim: field,
        expected: c ?? null,
        actual: d ?? null,
        owner: deployed.owner,
        hint: hintFor(field, c, d),
        detail: { field },
      }),
    );
  }
  return { fields, findings };
}

/** Sets compare as sorted lists; keys by identity (URL, file, RFC 7638 thumbprint, secret variable). */
function normalize(field: Field, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (field === 'keys') return Array.isArray(v) ? v.map(keyIdentity).sort() : undefined;
  if (field === 'tokenSource' && typeof v === 'object') {
    const t = v as Record<string, unknown>;
    return typeof t.cookie === 'string'
      ? { cookie: t.cookie }
      : { header: String(t.header ?? 'authorization').toLowerCase(), scheme: t.scheme ?? null };
  }
  if (Array.isArray(v)) return [...new Set(v.map(String))].sort();
  return typeof v === 'string' && ['issuer', 'audience', 'algorithms', 'requiredClaims'].includes(field) ? [v] : v;
}

function keyIdentity(k: unknown): string {
  const o = (k ?? {}) as Record<string, unknown>;
  if (typeof o.jwksUri === 'string') return `jwksUri ${o.jwksUri}`;
  if (o.discovery !== undefined) return `discovery ${String(o.discovery)}`;
  if (typeof o.jwksFile === 'string') return `jwksFile ${o.jwksFile}`;
  if (o.jwk && typeof o.jwk === 'object') {
    try {
      return `jwk ${jwkThumbprint(o.jwk as Record<string, unknown>)}`;
    } catch {
      return 'jwk (invalid)';
    }
  }
  if (typeof o.pem === 'string') return o.pem.includes('-----BEGIN') ? 'pem (inline)' : `pem ${o.pem}`;
  const secret = o.secret as Record<string, unknown> | string | undefined;
  if (secret && typeof secret === 'object') return `secret ${String(secret.env ?? secret.file ?? '(inline)')}`;
  return 'secret (inline)';
}

function hintFor(field: Field, c: unknown, d: unknown): string {
  if (d === undefined)
    return `The deployed verifier does not check ${field}, which the contract expects: configure it there, or drop it from the contract.`;
  if (c === undefined) return `The deployed verifier checks ${field}, which the contract does not state: add it to the contract.`;
  return `The deployed verifier's ${field} differs from the contract's: change one of them (the contract is what every check of jwt-doctor assumes).`;
}
