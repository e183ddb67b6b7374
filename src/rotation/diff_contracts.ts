import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import { describeKeySpec } from './compare_environments.ts';
import { readClientsSection, readPolicySection, type ClientSection, type PolicySection } from '../contract/sections.ts';

export const CONTRACT_DIFF_SCHEMA = 'jwt-doctor/contract-diff/v1';

export type Team = 'frontend' | 'platform';

/** One change between two versions of the contract, for one environment. */
export interface ContractChange {
  env: string;
  /** Dotted field path inside the environment ('policy.tokenLifetimeSeconds', 'audience', ...). */
  field: string;
  area:
    | 'environment'
    | 'lifetime'
    | 'refresh'
    | 'revocation'
    | 'claims'
    | 'audience'
    | 'issuer'
    | 'algorithms'
    | 'keys'
    | 'tokenSource'
    | 'verifier'
    | 'clients';
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
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * Diffs two contracts into rollout changes: token lifetime, refresh
 * policy, revocation, claim schema, audiences, issuers, algorithms, key
 * sources and token source, per environment, with the clients each
 * reaches and what breaks for clients that do not change.
 *
 * @example const d = diffContracts(loadContract('old.yaml'), loadContract('new.yaml')); d.breaking
 */
export function diffContracts(
  oldC: Contract,
  newC: Contract,
  names: { old: string; new: string } = { old: oldC.path ?? 'old', new: newC.path ?? 'new' },
): ContractDiff {
  const changes: ContractChange[] = [];
  const envNames = [...new Set([...Object.keys(oldC.environments), ...Object.keys(newC.environments)])];
  for (const env of envNames) {
    const a = oldC.environments[env];
    const b = newC.environments[env];
    if (a && b) diffEnvironment(env, readEnvDiff(oldC, a, newC, b), changes);
    else changes.push(environmentPresence(env, b ? newC : oldC, (b ?? a)!, b !== undefined));
  }
  return {
    schema: CONTRACT_DIFF_SCHEMA,
    old: names.old,
    new: names.new,
    changes,
    breaking: changes.filter((c) => c.impact === 'breaking').length,
  };
}

/** An environment only in the new contract (added) or only in the old one (removed). */
function environmentPresence(env: string, contract: Contract, e: Expectations, added: boolean): ContractChange {
  return {
    env,
    field: '(environment)',
    area: 'environment',
    from: added ? null : 'present',
    to: added ? 'present' : null,
    impact: added ? 'compatible' : 'breaking',
    teams: ['frontend', 'platform'],
    clients: Object.keys(readClientsSection(contract, e)),
    ...(added
      ? {}
      : { breaks: `Clients still configured for "${env}" get no verifier contract: every request there is unverified or rejected.` }),
    action: added
      ? `New environment "${env}": add its issuer and audience to client configs that target it.`
      : `Move clients off "${env}" before removing it.`,
  };
}

/** One side of an environment's diff: the environment and the sections the rules read. */
interface Side {
  env: Expectations;
  policy: PolicySection;
  clients: Record<string, ClientSection>;
}

interface EnvDiff {
  before: Side;
  after: Side;
  /** Every client of either side, the new contract's first. */
  allClients: string[];
}

function readEnvDiff(oldC: Contract, a: Expectations, newC: Contract, b: Expectations): EnvDiff {
  const afterClients = readClientsSection(newC, b);
  const beforeClients = readClientsSection(oldC, a);
  const before = { env: a, policy: readPolicySection(oldC, a), clients: beforeClients };
  const after = { env: b, policy: readPolicySection(newC, b), clients: afterClients };
  return { before, after, allClients: [...new Set([...Object.keys(afterClients), ...Object.keys(beforeClients)])] };
}

/** One compared value that differs: the field, both values as read, and for lists what left and what came. */
interface Compared {
  field: string;
  from: unknown;
  to: unknown;
  lost: string[];
  added: string[];
  /** Per-entry rules: the claim or client name, and the client's member. */
  name?: string;
  member?: string;
}

/**
 * One change rule (fast-jwt's `validators` table): what it compares, and
 * for a change found, its impact, the clients it reaches, what breaks for
 * those that do not change, and what to do.
 */
interface ChangeRule {
  area: ContractChange['area'];
  teams: readonly Team[];
  /** The values that differ between the two sides (none, one, or one per claim / client member). */
  compare: (d: EnvDiff) => Compared[];
  impact: (c: Compared, d: EnvDiff) => ContractChange['impact'];
  clients: (c: Compared, d: EnvDiff) => string[];
  breaks?: (c: Compared, d: EnvDiff) => string | undefined;
  action: (c: Compared, d: EnvDiff) => string;
}

/** A single value, changed when its JSON differs. */
const value =
  (field: string, read: (s: Side) => unknown) =>
  (d: EnvDiff): Compared[] => {
    const from = read(d.before);
    const to = read(d.after);
    return same(from, to) ? [] : [{ field, from, to, lost: [], added: [] }];
  };

/** A list, changed when a member left or came ('set'), or when it differs once sorted ('sorted'). */
const members =
  (field: string, read: (s: Side) => string[], by: 'set' | 'sorted') =>
  (d: EnvDiff): Compared[] => {
    const from = read(d.before);
    const to = read(d.after);
    const lost = from.filter((x) => !to.includes(x));
    const added = to.filter((x) => !from.includes(x));
    const changed = by === 'set' ? lost.length > 0 || added.length > 0 : !same([...from].sort(), [...to].sort());
    return changed ? [{ field, from, to, lost, added }] : [];
  };

/** `claims.<name>`: one comparison per expected claim. */
function eachClaim(d: EnvDiff): Compared[] {
  const ca = (d.before.env.claims ?? {}) as Record<string, unknown>;
  const cb = (d.after.env.claims ?? {}) as Record<string, unknown>;
  const names = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].filter((n) => !same(ca[n], cb[n]));
  return names.map((name) => ({ field: `claims.${name}`, from: ca[name], to: cb[name], lost: [], added: [], name }));
}

/** `clients.<name>` when a client came or left, else `clients.<name>.<member>` per changed member. */
function eachClient(d: EnvDiff): Compared[] {
  return d.allClients.flatMap((name): Compared[] => {
    const x = d.before.clients[name];
    const y = d.after.clients[name];
    if (same(x, y)) return [];
    if (!x || !y) return [{ field: `clients.${name}`, from: x ? 'present' : null, to: y ? 'present' : null, lost: [], added: [], name }];
    const changed = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((f) => !same(x[f], y[f]));
    return changed.map((member) => ({
      field: `clients.${name}.${member}`,
      from: x[member],
      to: y[member],
      lost: [],
      added: [],
      name,
      member,
    }));
  });
}

/** Clients of the new contract whose refresh lead is past a limit. */
function leadingPast(d: EnvDiff, limit: number | undefined, orEqual: boolean): string[] {
  if (limit === undefined) return [];
  return Object.entries(d.after.clients)
    .filter(([, c]) => (orEqual ? (c.refreshLeadSeconds ?? 0) >= limit : (c.refreshLeadSeconds ?? 0) > limit))
    .map(([n]) => n);
}

function clientsReaching(clients: Record<string, ClientSection>, audiences: string[]): string[] {
  return Object.entries(clients)
    .filter(([, c]) => !c.audience || c.audience.some((a) => audiences.includes(a)))
    .map(([n]) => n);
}

const shorter = (c: Compared) => num(c.from) !== undefined && num(c.to) !== undefined && num(c.to)! < num(c.from)!;
const stricter = (c: Compared) => num(c.to) !== undefined && (num(c.from) === undefined || num(c.to)! < num(c.from)!);
const set = (c: Compared) => c.to !== undefined;
const lostAny = (c: Compared) => c.lost.length > 0;
const allIf = (when: (c: Compared) => boolean) => (c: Compared, d: EnvDiff) => (when(c) ? d.allClients : []);
const breaking =
  (when: (c: Compared) => boolean, otherwise: 'review' | 'compatible') =>
  (c: Compared): ContractChange['impact'] =>
    when(c) ? 'breaking' : otherwise;
const ALL: readonly Team[] = ['frontend', 'platform'];
const SIGNER_SIDE: readonly Team[] = ['platform', 'frontend'];
const REVOCATION_ACTION: Record<string, string> = {
  introspection: 'Platform: give every verifier network access and credentials for the introspection endpoint (RFC 7662), with a timeout.',
  denylist: 'Platform: distribute the jti deny list to every verifier.',
  redis: 'Platform: give every verifier network access and credentials for the shared Redis deny-list set, with a timeout.',
};

/** The change rules, in report order. */
const CHANGE_RULES: readonly ChangeRule[] = [
  {
    area: 'lifetime',
    teams: ALL,
    compare: value('policy.tokenLifetimeSeconds', (s) => s.policy.tokenLifetimeSeconds),
    impact: breaking(shorter, 'review'),
    clients: (_, d) => d.allClients,
    breaks: (c, d) => {
      if (!shorter(c)) return undefined;
      const tooLate = leadingPast(d, num(c.to), true);
      return (
        `Access tokens live ${secs(c.to)} instead of ${secs(c.from)}. Clients that schedule refresh from a fixed lifetime instead of exp send expired tokens (token_expired) for up to ${num(c.from)! - num(c.to)!} s per session.` +
        (tooLate.length
          ? ` ${tooLate.join(', ')}: refreshLeadSeconds >= the new lifetime, so every token is already due for refresh when issued (refresh storm).`
          : '')
      );
    },
    action: (c) =>
      shorter(c)
        ? 'Clients: schedule refresh from exp (exp - refreshLeadSeconds), and keep refreshLeadSeconds well below the new lifetime.'
        : 'Longer-lived tokens stay usable longer after a leak: check the revocation policy.',
  },
  {
    area: 'refresh',
    teams: ['frontend'],
    compare: value('policy.refreshTokenLifetimeSeconds', (s) => s.policy.refreshTokenLifetimeSeconds),
    impact: breaking(shorter, 'review'),
    clients: (_, d) => d.allClients,
    breaks: (c) =>
      shorter(c)
        ? `Sessions end after ${secs(c.to)} instead of ${secs(c.from)}: refresh fails and users must sign in again (mobile apps resumed after a long pause first).`
        : undefined,
    action: (c) =>
      shorter(c)
        ? 'Clients: handle a failed refresh by sending the user to sign-in, not by retrying.'
        : 'Sessions last longer; no client change needed.',
  },
  {
    area: 'refresh',
    teams: ['frontend'],
    compare: value('policy.refreshWindowSeconds', (s) => s.policy.refreshWindowSeconds),
    impact: (c, d) => (leadingPast(d, num(c.to), false).length ? 'breaking' : 'review'),
    clients: (c, d) => {
      const early = leadingPast(d, num(c.to), false);
      return early.length ? early : d.allClients;
    },
    breaks: (c, d) => {
      const early = leadingPast(d, num(c.to), false);
      if (!early.length) return undefined;
      const leads = early.map((n) => `${d.after.clients[n]!.refreshLeadSeconds} s`).join(' / ');
      return `${early.join(', ')} refresh ${leads} before exp, outside the new ${String(c.to)} s refresh window: their refresh is refused and the token then expires (token_expired).`;
    },
    action: (c) => `Clients: set refreshLeadSeconds <= ${secs(c.to)} (the refresh window before exp).`,
  },
  {
    area: 'revocation',
    teams: SIGNER_SIDE,
    compare: value('policy.revocation', (s) => s.policy.revocation),
    impact: () => 'review',
    clients: (_, d) => d.allClients,
    breaks: (c) =>
      c.to && c.to !== 'none'
        ? 'Revoked tokens are now rejected before exp (token_revoked): clients must treat that 401 as "sign in again".'
        : undefined,
    action: (c) => REVOCATION_ACTION[String(c.to)] ?? 'Revocation removed: stolen tokens stay valid until exp.',
  },
  {
    area: 'keys',
    teams: ['platform'],
    compare: value('policy.keyMaxAgeDays', (s) => s.policy.keyMaxAgeDays),
    impact: () => 'review',
    clients: () => [],
    action: () => 'Platform: schedule key rotations at the new cadence (jwt-doctor rotation overlap / retire).',
  },
  {
    area: 'claims',
    teams: SIGNER_SIDE,
    compare: members('requiredClaims', (s) => list(s.env.requiredClaims), 'set'),
    impact: (c) => (c.added.length ? 'breaking' : 'compatible'),
    clients: (c, d) => (c.added.length ? d.allClients : []),
    breaks: (c) =>
      c.added.length
        ? `Tokens without ${c.added.join(', ')} are rejected (missing_claim), including tokens clients already hold.`
        : undefined,
    action: (c) =>
      c.added.length
        ? `Signer first: issue ${c.added.join(', ')} in every token, wait one token lifetime, then require it in the verifier.`
        : `No longer required: ${c.lost.join(', ')}.`,
  },
  {
    area: 'claims',
    teams: SIGNER_SIDE,
    compare: eachClaim,
    impact: breaking(set, 'compatible'),
    clients: allIf(set),
    breaks: (c) =>
      set(c)
        ? `Tokens whose ${c.name} does not meet ${JSON.stringify(c.to)} are rejected (claim_mismatch / insufficient_scope).`
        : undefined,
    action: (c) =>
      set(c)
        ? `Signer: emit ${c.name} as expected; clients: request it (e.g. scope) before the verifier enforces it.`
        : `${c.name} is no longer checked.`,
  },
  {
    area: 'audience',
    teams: ALL,
    compare: members('audience', (s) => list(s.env.audience), 'sorted'),
    impact: breaking(lostAny, 'compatible'),
    clients: (c, d) =>
      c.lost.length ? [...new Set([...clientsReaching(d.after.clients, c.lost), ...clientsReaching(d.before.clients, c.lost)])] : [],
    breaks: (c) => (c.lost.length ? `Tokens requested for ${c.lost.join(', ')} are rejected (audience_mismatch).` : undefined),
    action: (c) =>
      c.lost.length
        ? `Clients: request tokens for ${(c.to as string[]).join(' or ')} (audience / resource parameter) before the verifier drops ${c.lost.join(', ')}.`
        : `Also accepted now: ${c.added.join(', ')}.`,
  },
  {
    area: 'issuer',
    teams: ALL,
    compare: members('issuer', (s) => list(s.env.issuer), 'sorted'),
    impact: breaking(lostAny, 'compatible'),
    clients: allIf(lostAny),
    breaks: (c) =>
      c.lost.length
        ? `Tokens issued by ${c.lost.join(', ')} are rejected (issuer_mismatch): signed-in users must sign in again against ${(c.to as string[]).join(', ')}.`
        : undefined,
    action: (c) =>
      c.lost.length
        ? 'Accept both issuers for one refresh-token lifetime, move clients to the new issuer, then drop the old one.'
        : 'New issuer accepted; no client change needed.',
  },
  {
    area: 'algorithms',
    teams: ['platform'],
    compare: members('algorithms', (s) => list(s.env.algorithms), 'sorted'),
    impact: breaking(lostAny, 'compatible'),
    clients: allIf(lostAny),
    breaks: (c) =>
      c.lost.length
        ? `Tokens signed with ${c.lost.join(', ')} are rejected (alg_not_allowed), including unexpired ones clients hold.`
        : undefined,
    action: (c) =>
      c.lost.length
        ? `Signer first: switch to ${(c.to as string[]).join(' / ')}, wait one token lifetime, then remove ${c.lost.join(', ')} from the verifier.`
        : 'Verifier accepts more algorithms; the signer may switch afterwards.',
  },
  {
    area: 'claims',
    teams: ['platform'],
    compare: value('typ', (s) => s.env.typ),
    impact: breaking(set, 'compatible'),
    clients: allIf(set),
    breaks: (c) => (set(c) ? `Tokens whose typ header is not ${String(c.to)} are rejected (typ_mismatch).` : undefined),
    action: (c) => (set(c) ? `Signer first: stamp typ ${String(c.to)} (RFC 9068 uses at+jwt), then enforce it.` : 'typ no longer checked.'),
  },
  {
    area: 'lifetime',
    teams: SIGNER_SIDE,
    compare: value('clockToleranceSeconds', (s) => s.env.clockToleranceSeconds),
    impact: (c) => (stricter(c) ? 'review' : 'compatible'),
    clients: allIf(stricter),
    breaks: (c) =>
      stricter(c)
        ? `Less clock skew tolerated: hosts with drifting clocks see token_not_yet_valid / token_expired at the edges.`
        : undefined,
    action: () => 'Platform: check NTP on signer and verifier hosts before tightening.',
  },
  {
    area: 'lifetime',
    teams: SIGNER_SIDE,
    compare: value('maxTokenAgeSeconds', (s) => s.env.maxTokenAgeSeconds),
    impact: breaking(stricter, 'compatible'),
    clients: allIf(stricter),
    breaks: (c) => (stricter(c) ? `Tokens older than ${secs(c.to)} are rejected (token_too_old) even before exp.` : undefined),
    action: () => 'Clients: refresh before the token reaches the maximum age.',
  },
  {
    area: 'keys',
    teams: ['platform'],
    compare: members('keys', (s) => (s.env.keys ?? []).map(describeKeySpec), 'set'),
    impact: breaking(lostAny, 'compatible'),
    clients: allIf(lostAny),
    breaks: (c) =>
      c.lost.length
        ? `Tokens signed by keys only in ${c.lost.join(', ')} fail (key_not_found / signature_invalid) until they expire.`
        : undefined,
    action: (c) =>
      c.lost.length
        ? 'Keep the old key source until every token it signed has expired: prove it with jwt-doctor rotation overlap, then run rotation retire.'
        : `Verifiers also read ${c.added.join(', ')}: deploy it before the signer uses the new keys.`,
  },
  {
    area: 'tokenSource',
    teams: ALL,
    compare: value('tokenSource', (s) => s.env.tokenSource),
    impact: () => 'breaking',
    clients: (_, d) => d.allClients,
    breaks: (c) =>
      `The API reads the token from ${JSON.stringify(c.to ?? { header: 'authorization', scheme: 'Bearer' })}: clients sending it the old way get header_missing.`,
    action: () => 'Accept both token locations during the rollout; gateways must forward the new header or cookie.',
  },
  {
    area: 'verifier',
    teams: ['platform'],
    compare: value('verifier.cacheTtlSeconds', (s) => (s.env.verifier as Record<string, unknown> | undefined)?.cacheTtlSeconds),
    impact: () => 'review',
    clients: () => [],
    action: () => 'Platform: the publish-to-sign lead of a rotation changes with the TTL (jwt-doctor rotation check).',
  },
  {
    area: 'clients',
    teams: ['frontend'],
    compare: eachClient,
    impact: (c) => (c.member === 'tokenSource' || c.member === 'audience' ? 'breaking' : 'review'),
    clients: (c) => [c.name!],
    breaks: (c) =>
      c.member === 'tokenSource'
        ? `${c.name} builds that still send the token the old way get header_missing.`
        : c.member === 'audience'
          ? `${c.name} builds that still request ${JSON.stringify(c.from)} get audience_mismatch.`
          : undefined,
    action: (c) =>
      c.member !== undefined
        ? `Ship the ${c.name} change before the API enforces it; keep old app versions in mind (mobile updates lag).`
        : c.to
          ? `New client ${c.name}: check its audience and token source.`
          : `Client ${c.name} removed from the contract.`,
  },
];

/** Every rule over one environment present in both contracts: the one loop. */
function diffEnvironment(env: string, d: EnvDiff, out: ContractChange[]): void {
  for (const rule of CHANGE_RULES) {
    for (const c of rule.compare(d)) {
      const breaks = rule.breaks?.(c, d);
      out.push({
        env,
        field: c.field,
        area: rule.area,
        from: c.from ?? null,
        to: c.to ?? null,
        impact: rule.impact(c, d),
        teams: [...rule.teams],
        clients: rule.clients(c, d),
        ...(breaks !== undefined ? { breaks } : {}),
        action: rule.action(c, d),
      });
    }
  }
}

const fmt = (v: unknown) =>
  v === null || v === undefined
    ? '_unset_'
    : Array.isArray(v)
      ? v.length
        ? v.map((x) => `\`${String(x)}\``).join(', ')
        : '_none_'
      : typeof v === 'object'
        ? `\`${JSON.stringify(v)}\``
        : `\`${String(v)}\``;
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
  if (d.changes.length === 0)
    return out + 'No changes to token lifetime, refresh policy, claims, audiences, issuers, algorithms, key sources or token source.\n';
  const order = { breaking: 0, review: 1, compatible: 2 } as const;
  const sorted = [...d.changes].sort((x, y) => order[x.impact] - order[y.impact]);
  out += `| env | change | from | to | impact | clients |\n|---|---|---|---|---|---|\n`;
  for (const c of sorted)
    out += `| ${c.env} | ${c.field} | ${cell(fmt(c.from))} | ${cell(fmt(c.to))} | ${c.impact === 'breaking' ? '**breaking**' : c.impact} | ${c.clients.join(', ') || '-'} |\n`;
  for (const [team, title] of [
    ['frontend', 'For front-end teams'],
    ['platform', 'For platform teams'],
  ] as const) {
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
