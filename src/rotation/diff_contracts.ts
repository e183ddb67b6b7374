import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import { describeKeySpec } from './compare_environments.ts';
import { readClientsSection, readPolicySection, type ClientSection } from '../contract/sections.ts';

export const CONTRACT_DIFF_SCHEMA = 'jwt-doctor/contract-diff/v1';

export type Team = 'frontend' | 'platform';

/** One change between two versions of the contract, for one environment. */
export interface ContractChange {
  env: string;
  /** Dotted field path inside the environment ('policy.tokenLifetimeSeconds', 'audience', ...). */
  field: string;
  area: 'environment' | 'lifetime' | 'refresh' | 'revocation' | 'claims' | 'audience' | 'issuer' | 'algorithms' | 'keys' | 'tokenSource' | 'verifier' | 'clients';
  from: unknown;
  to: unknown;
  /** breaking: clients or verifiers that do not change start failing; review: behaviour shifts. */
  impact: 'breaking' | 'review' | 'compatible';
  teams: Team[];
  /** Client names (clients section) the change reaches. */
  clients: string[];
  /** What breaks for clients that do not change, with the reason code they will see. */
  breaks?: string;
  /** What to do. */
  action: string;
}

export interface ContractDiff {
  schema: typeof CONTRACT_DIFF_SCHEMA;
  old: string;
  new: string;
  changes: ContractChange[];
  breaking: number;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const secs = (v: unknown) => (typeof v === 'number' ? `${v} s` : 'unset');

function clientsReaching(clients: Record<string, ClientSection>, audiences?: string[]): string[] {
  return Object.entries(clients)
    .filter(([, c]) => !audiences || !c.audience || c.audience.some((a) => audiences.includes(a)))
    .map(([n]) => n);
}

/**
 * Diffs two contracts into rollout changes: token lifetime, refresh
 * policy, revocation, claim schema, audiences, issuers, algorithms, key
 * sources and token source, per environment, with the clients each
 * reaches and what breaks for clients that do not change.
 *
 * @example const d = diffContracts(loadContract('old.yaml'), loadContract('new.yaml')); d.breaking
 */
export function diffContracts(oldC: Contract, newC: Contract, names: { old: string; new: string } = { old: oldC.path ?? 'old', new: newC.path ?? 'new' }): ContractDiff {
  const changes: ContractChange[] = [];
  const envNames = [...new Set([...Object.keys(oldC.environments), ...Object.keys(newC.environments)])];
  for (const env of envNames) {
    const a = oldC.environments[env];
    const b = newC.environments[env];
    if (!a || !b) {
      const c = (b ?? a)!;
      const clients = Object.keys(readClientsSection(b ? newC : oldC, c));
      changes.push({
        env,
        field: '(environment)',
        area: 'environment',
        from: a ? 'present' : null,
        to: b ? 'present' : null,
        impact: b ? 'compatible' : 'breaking',
        teams: ['frontend', 'platform'],
        clients,
        ...(b ? {} : { breaks: `Clients still configured for "${env}" get no verifier contract: every request there is unverified or rejected.` }),
        action: b ? `New environment "${env}": add its issuer and audience to client configs that target it.` : `Move clients off "${env}" before removing it.`,
      });
      continue;
    }
    diffEnvironment(env, a, b, oldC, newC, changes);
  }
  return { schema: CONTRACT_DIFF_SCHEMA, old: names.old, new: names.new, changes, breaking: changes.filter((c) => c.impact === 'breaking').length };
}

function diffEnvironment(env: string, a: Expectations, b: Expectations, oldC: Contract, newC: Contract, out: ContractChange[]): void {
  const clients = readClientsSection(newC, b);
  const oldClients = readClientsSection(oldC, a);
  const allClients = [...new Set([...Object.keys(clients), ...Object.keys(oldClients)])];
  const pa = readPolicySection(oldC, a);
  const pb = readPolicySection(newC, b);
  const push = (c: Omit<ContractChange, 'env'>) => out.push({ env, ...c });

  // Token lifetime (policy.tokenLifetimeSeconds).
  if (!same(pa.tokenLifetimeSeconds, pb.tokenLifetimeSeconds)) {
    const from = pa.tokenLifetimeSeconds;
    const to = pb.tokenLifetimeSeconds;
    const shorter = from !== undefined && to !== undefined && to < from;
    const tooLate = to !== undefined ? Object.entries(clients).filter(([, c]) => (c.refreshLeadSeconds ?? 0) >= to).map(([n]) => n) : [];
    push({
      field: 'policy.tokenLifetimeSeconds',
      area: 'lifetime',
      from: from ?? null,
      to: to ?? null,
      impact: shorter ? 'breaking' : 'review',
      teams: ['frontend', 'platform'],
      clients: allClients,
      ...(shorter
        ? {
            breaks:
              `Access tokens live ${secs(to)} instead of ${secs(from)}. Clients that schedule refresh from a fixed lifetime instead of exp send expired tokens (token_expired) for up to ${from! - to!} s per session.` +
              (tooLate.length ? ` ${tooLate.join(', ')}: refreshLeadSeconds >= the new lifetime, so every token is already due for refresh when issued (refresh storm).` : ''),
          }
        : {}),
      action: shorter ? 'Clients: schedule refresh from exp (exp - refreshLeadSeconds), and keep refreshLeadSeconds well below the new lifetime.' : 'Longer-lived tokens stay usable longer after a leak: check the revocation policy.',
    });
  }
  // Refresh policy.
  if (!same(pa.refreshTokenLifetimeSeconds, pb.refreshTokenLifetimeSeconds)) {
    const shorter = pa.refreshTokenLifetimeSeconds !== undefined && pb.refreshTokenLifetimeSeconds !== undefined && pb.refreshTokenLifetimeSeconds < pa.refreshTokenLifetimeSeconds;
    push({
      field: 'policy.refreshTokenLifetimeSeconds',
      area: 'refresh',
      from: pa.refreshTokenLifetimeSeconds ?? null,
      to: pb.refreshTokenLifetimeSeconds ?? null,
      impact: shorter ? 'breaking' : 'review',
      teams: ['frontend'],
      clients: allClients,
      ...(shorter ? { breaks: `Sessions end after ${secs(pb.refreshTokenLifetimeSeconds)} instead of ${secs(pa.refreshTokenLifetimeSeconds)}: refresh fails and users must sign in again (mobile apps resumed after a long pause first).` } : {}),
      action: shorter ? 'Clients: handle a failed refresh by sending the user to sign-in, not by retrying.' : 'Sessions last longer; no client change needed.',
    });
  }
  if (!same(pa.refreshWindowSeconds, pb.refreshWindowSeconds)) {
    const w = pb.refreshWindowSeconds;
    const early = w !== undefined ? Object.entries(clients).filter(([, c]) => (c.refreshLeadSeconds ?? 0) > w).map(([n]) => n) : [];
    push({
      field: 'policy.refreshWindowSeconds',
      area: 'refresh',
      from: pa.refreshWindowSeconds ?? null,
      to: w ?? null,
      impact: early.length ? 'breaking' : 'review',
      teams: ['frontend'],
      clients: early.length ? early : allClients,
      ...(early.length ? { breaks: `${early.join(', ')} refresh ${early.map((n) => `${clients[n]!.refreshLeadSeconds} s`).join(' / ')} before exp, outside the new ${w} s refresh window: their refresh is refused and the token then expires (token_expired).` } : {}),
      action: `Clients: set refreshLeadSeconds <= ${secs(w)} (the refresh window before exp).`,
    });
  }
  if (!same(pa.revocation, pb.revocation)) {
    push({
      field: 'policy.revocation',
      area: 'revocation',
      from: pa.revocation ?? null,
      to: pb.revocation ?? null,
      impact: 'review',
      teams: ['platform', 'frontend'],
      clients: allClients,
      ...(pb.revocation && pb.revocation !== 'none' ? { breaks: 'Revoked tokens are now rejected before exp (token_revoked): clients must treat that 401 as "sign in again".' } : {}),
      action: pb.revocation === 'introspection' ? 'Platform: give every verifier network access and credentials for the introspection endpoint (RFC 7662), with a timeout.' : pb.revocation === 'denylist' ? 'Platform: distribute the jti deny list to every verifier.' : 'Revocation removed: stolen tokens stay valid until exp.',
    });
  }
  if (!same(pa.keyMaxAgeDays, pb.keyMaxAgeDays)) {
    push({ field: 'policy.keyMaxAgeDays', area: 'keys', from: pa.keyMaxAgeDays ?? null, to: pb.keyMaxAgeDays ?? null, impact: 'review', teams: ['platform'], clients: [], action: 'Platform: schedule key rotations at the new cadence (jwt-doctor rotation overlap / retire).' });
  }
  // Claim schema.
  const ra = list(a.requiredClaims);
  const rb = list(b.requiredClaims);
  const addedReq = rb.filter((c) => !ra.includes(c));
  const removedReq = ra.filter((c) => !rb.includes(c));
  if (addedReq.length || removedReq.length) {
    push({
      field: 'requiredClaims',
      area: 'claims',
      from: ra,
      to: rb,
      impact: addedReq.length ? 'breaking' : 'compatible',
      teams: ['platform', 'frontend'],
      clients: addedReq.length ? allClients : [],
      ...(addedReq.length ? { breaks: `Tokens without ${addedReq.join(', ')} are rejected (missing_claim), including tokens clients already hold.` } : {}),
      action: addedReq.length ? `Signer first: issue ${addedReq.join(', ')} in every token, wait one token lifetime, then require it in the verifier.` : `No longer required: ${removedReq.join(', ')}.`,
    });
  }
  const ca = (a.claims ?? {}) as Record<string, unknown>;
  const cb = (b.claims ?? {}) as Record<string, unknown>;
  for (const name of [...new Set([...Object.keys(ca), ...Object.keys(cb)])]) {
    if (same(ca[name], cb[name])) continue;
    const tightened = cb[name] !== undefined;
    push({
      field: `claims.${name}`,
      area: 'claims',
      from: ca[name] ?? null,
      to: cb[name] ?? null,
      impact: tightened ? 'breaking' : 'compatible',
      teams: ['platform', 'frontend'],
      clients: tightened ? allClients : [],
      ...(tightened ? { breaks: `Tokens whose ${name} does not meet ${JSON.stringify(cb[name])} are rejected (claim_mismatch / insufficient_scope).` } : {}),
      action: tightened ? `Signer: emit ${name} as expected; clients: request it (e.g. scope) before the verifier enforces it.` : `${name} is no longer checked.`,
    });
  }
  // Audiences and issuers.
  const aa = list(a.audience);
  const ab = list(b.audience);
  const lostAud = aa.filter((x) => !ab.includes(x));
  if (!same([...aa].sort(), [...ab].sort())) {
    const reach = lostAud.length ? clientsReaching(clients, lostAud).concat(clientsReaching(oldClients, lostAud)) : [];
    push({
      field: 'audience',
      area: 'audience',
      from: aa,
      to: ab,
      impact: lostAud.length ? 'breaking' : 'compatible',
      teams: ['frontend', 'platform'],
      clients: [...new Set(reach)],
      ...(lostAud.length ? { breaks: `Tokens requested for ${lostAud.join(', ')} are rejected (audience_mismatch).` } : {}),
      action: lostAud.length ? `Clients: request tokens for ${ab.join(' or ')} (audience / resource parameter) before the verifier drops ${lostAud.join(', ')}.` : `Also accepted now: ${ab.filter((x) => !aa.includes(x)).join(', ')}.`,
    });
  }
  const ia = list(a.issuer);
  const ib = list(b.issuer);
  const lostIss = ia.filter((x) => !ib.includes(x));
  if (!same([...ia].sort(), [...ib].sort())) {
    push({
      field: 'issuer',
      area: 'issuer',
      from: ia,
      to: ib,
      impact: lostIss.length ? 'breaking' : 'compatible',
      teams: ['frontend', 'platform'],
      clients: lostIss.length ? allClients : [],
      ...(lostIss.length ? { breaks: `Tokens issued by ${lostIss.join(', ')} are rejected (issuer_mismatch): signed-in users must sign in again against ${ib.join(', ')}.` } : {}),
      action: lostIss.length ? 'Accept both issuers for one refresh-token lifetime, move clients to the new issuer, then drop the old one.' : 'New issuer accepted; no client change needed.',
    });
  }
  // Algorithms.
  const ga = list(a.algorithms);
  const gb = list(b.algorithms);
  const lostAlg = ga.filter((x) => !gb.includes(x));
  if (!same([...ga].sort(), [...gb].sort())) {
    push({
      field: 'algorithms',
      area: 'algorithms',
      from: ga,
      to: gb,
      impact: lostAlg.length ? 'breaking' : 'compatible',
      teams: ['platform'],
      clients: lostAlg.length ? allClients : [],
      ...(lostAlg.length ? { breaks: `Tokens signed with ${lostAlg.join(', ')} are rejected (alg_not_allowed), including unexpired ones clients hold.` } : {}),
      action: lostAlg.length ? `Signer first: switch to ${gb.join(' / ')}, wait one token lifetime, then remove ${lostAlg.join(', ')} from the verifier.` : 'Verifier accepts more algorithms; the signer may switch afterwards.',
    });
  }
  if (!same(a.typ, b.typ)) {
    push({
      field: 'typ',
      area: 'claims',
      from: a.typ ?? null,
      to: b.typ ?? null,
      impact: b.typ !== undefined ? 'breaking' : 'compatible',
      teams: ['platform'],
      clients: b.typ !== undefined ? allClients : [],
      ...(b.typ !== undefined ? { breaks: `Tokens whose typ header is not ${b.typ} are rejected (typ_mismatch).` } : {}),
      action: b.typ !== undefined ? `Signer first: stamp typ ${b.typ} (RFC 9068 uses at+jwt), then enforce it.` : 'typ no longer checked.',
    });
  }
  for (const f of ['clockToleranceSeconds', 'maxTokenAgeSeconds'] as const) {
    if (same(a[f], b[f])) continue;
    const stricter = b[f] !== undefined && (a[f] === undefined || (b[f] as number) < (a[f] as number));
    push({
      field: f,
      area: 'lifetime',
      from: a[f] ?? null,
      to: b[f] ?? null,
      impact: stricter ? (f === 'maxTokenAgeSeconds' ? 'breaking' : 'review') : 'compatible',
      teams: ['platform', 'frontend'],
      clients: stricter ? allClients : [],
      ...(stricter ? { breaks: f === 'maxTokenAgeSeconds' ? `Tokens older than ${secs(b[f])} are rejected (token_too_old) even before exp.` : `Less clock skew tolerated: hosts with drifting clocks see token_not_yet_valid / token_expired at the edges.` } : {}),
      action: f === 'maxTokenAgeSeconds' ? 'Clients: refresh before the token reaches the maximum age.' : 'Platform: check NTP on signer and verifier hosts before tightening.',
    });
  }
  // Key sources.
  const ka = (a.keys ?? []).map(describeKeySpec);
  const kb = (b.keys ?? []).map(describeKeySpec);
  const lostKeys = ka.filter((x) => !kb.includes(x));
  const newKeys = kb.filter((x) => !ka.includes(x));
  if (lostKeys.length || newKeys.length) {
    push({
      field: 'keys',
      area: 'keys',
      from: ka,
      to: kb,
      impact: lostKeys.length ? 'breaking' : 'compatible',
      teams: ['platform'],
      clients: lostKeys.length ? allClients : [],
      ...(lostKeys.length ? { breaks: `Tokens signed by keys only in ${lostKeys.join(', ')} fail (key_not_found / signature_invalid) until they expire.` } : {}),
      action: lostKeys.length ? 'Keep the old key source until every token it signed has expired: prove it with jwt-doctor rotation overlap, then run rotation retire.' : `Verifiers also read ${newKeys.join(', ')}: deploy it before the signer uses the new keys.`,
    });
  }
  // Token source (where the API reads the token) and per-client changes.
  if (!same(a.tokenSource, b.tokenSource)) {
    push({
      field: 'tokenSource',
      area: 'tokenSource',
      from: a.tokenSource ?? null,
      to: b.tokenSource ?? null,
      impact: 'breaking',
      teams: ['frontend', 'platform'],
      clients: allClients,
      breaks: `The API reads the token from ${JSON.stringify(b.tokenSource ?? { header: 'authorization', scheme: 'Bearer' })}: clients sending it the old way get header_missing.`,
      action: 'Accept both token locations during the rollout; gateways must forward the new header or cookie.',
    });
  }
  const va = (a.verifier ?? {}) as Record<string, unknown>;
  const vb = (b.verifier ?? {}) as Record<string, unknown>;
  if (!same(va.cacheTtlSeconds, vb.cacheTtlSeconds)) {
    push({ field: 'verifier.cacheTtlSeconds', area: 'verifier', from: va.cacheTtlSeconds ?? null, to: vb.cacheTtlSeconds ?? null, impact: 'review', teams: ['platform'], clients: [], action: 'Platform: the publish-to-sign lead of a rotation changes with the TTL (jwt-doctor rotation check).' });
  }
  for (const name of allClients) {
    const x = oldClients[name];
    const y = clients[name];
    if (same(x, y)) continue;
    if (!x || !y) {
      push({ field: `clients.${name}`, area: 'clients', from: x ? 'present' : null, to: y ? 'present' : null, impact: 'review', teams: ['frontend'], clients: [name], action: y ? `New client ${name}: check its audience and token source.` : `Client ${name} removed from the contract.` });
      continue;
    }
    for (const f of [...new Set([...Object.keys(x), ...Object.keys(y)])]) {
      if (same(x[f], y[f])) continue;
      push({
        field: `clients.${name}.${f}`,
        area: 'clients',
        from: x[f] ?? null,
        to: y[f] ?? null,
        impact: f === 'tokenSource' || f === 'audience' ? 'breaking' : 'review',
        teams: ['frontend'],
        clients: [name],
        ...(f === 'tokenSource' ? { breaks: `${name} builds that still send the token the old way get header_missing.` } : f === 'audience' ? { breaks: `${name} builds that still request ${JSON.stringify(x[f])} get audience_mismatch.` } : {}),
        action: `Ship the ${name} change before the API enforces it; keep old app versions in mind (mobile updates lag).`,
      });
    }
  }
}

const fmt = (v: unknown) => (v === null || v === undefined ? '_unset_' : Array.isArray(v) ? (v.length ? v.map((x) => `\`${String(x)}\``).join(', ') : '_none_') : typeof v === 'object' ? `\`${JSON.stringify(v)}\`` : `\`${String(v)}\``);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Rollout notes in Markdown: a summary table, then one section for
 * front-end teams and one for platform teams, breaking changes first.
 *
 * @example process.stdout.write(formatContractDiffMarkdown(diffContracts(a, b)))
 */
export function formatContractDiffMarkdown(d: ContractDiff): string {
  let out = `# Auth contract rollout notes\n\n`;
  out += `Comparing \`${d.old}\` -> \`${d.new}\`: ${d.changes.length} change${d.changes.length === 1 ? '' : 's'}, ${d.breaking} breaking.\n\n`;
  if (d.changes.length === 0) return out + 'No changes to token lifetime, refresh policy, claims, audiences, issuers, algorithms, key sources or token source.\n';
  const order = { breaking: 0, review: 1, compatible: 2 } as const;
  const sorted = [...d.changes].sort((x, y) => order[x.impact] - order[y.impact]);
  out += `| env | change | from | to | impact | clients |\n|---|---|---|---|---|---|\n`;
  for (const c of sorted) out += `| ${c.env} | ${c.field} | ${cell(fmt(c.from))} | ${cell(fmt(c.to))} | ${c.impact === 'breaking' ? '**breaking**' : c.impact} | ${c.clients.join(', ') || '-'} |\n`;
  for (const [team, title] of [['frontend', 'For front-end teams'], ['platform', 'For platform teams']] as const) {
    const mine = sorted.filter((c) => c.teams.includes(team));
    if (!mine.length) continue;
    out += `\n## ${title}\n`;
    for (const c of mine) {
      out += `\n### ${c.env}: ${c.field} (${c.impact})\n\n`;
      out += `- Was ${fmt(c.from)}, now ${fmt(c.to)}.\n`;
      if (c.clients.length) out += `- Clients affected: ${c.clients.join(', ')}.\n`;
      if (c.breaks) out += `- If clients do not change: ${c.breaks}\n`;
      out += `- Do: ${c.action}\n`;
    }
  }
  return out;
}
