import { ContractError } from '../errors.ts';
import { parseDuration, parseInstant } from '../report/format_time.ts';

/**
 * `environments.<env>.policy`: the token lifecycle the signer promises and
 * the verifiers enforce (issue 12 item 6; the guide's "Token Lifecycle
 * Governance"). Durations are numbers in the field's unit (seconds, or days
 * for `*Days`) or strings with their own unit (`15m`, `1h`, `90d`).
 */
export interface PolicySection {
  /** Maximum access-token lifetime, exp - iat (token_lifetime_exceeds_policy). */
  tokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  /** Clients refresh at the latest this long before exp (token_refresh_overdue inside it). */
  refreshWindowSeconds?: number;
  /** The most clock tolerance a verifier may allow (clock_tolerance_exceeds_policy). */
  maxClockToleranceSeconds?: number;
  /** No trusted key may be older (key_too_old). */
  keyMaxAgeDays?: number;
  /** A new key is published at least this often (key_rotation_overdue). */
  keyRolloverDays?: number;
  /** kid -> when that key was published (NumericDate): the key age when the key set does not say. */
  keyPublished?: Record<string, number>;
  /** The kind of revocation (compared by `contract diff`). */
  revocation?: RevocationKind;
  /** Where revoked tokens are looked up, when the policy names a source. */
  revocationSource?: RevocationConfig;
}

export type RevocationKind = 'none' | 'introspection' | 'denylist' | 'redis';

/** A secret read from a variable or a file: never a literal in the contract. */
export type SecretRef = { env: string } | { file: string };

/** One revocation source of the contract (src/revocation/from_config.ts builds it). */
export type RevocationConfig =
  | { kind: 'denylist'; file: string }
  | { kind: 'redis'; url: string; key: string; password?: SecretRef; timeoutMs?: number }
  | {
      kind: 'introspection';
      /** The contract's endpoint; without it, `issuer`'s discovery document names it. */
      endpoint?: string;
      /** The environment's issuer, whose discovery names the endpoint when the contract does not. */
      issuer?: string;
      clientId: string;
      clientSecret: SecretRef;
      timeoutMs?: number;
    };

const DURATIONS: readonly [keyof PolicySection, number][] = [
  ['tokenLifetimeSeconds', 1],
  ['refreshTokenLifetimeSeconds', 1],
  ['refreshWindowSeconds', 1],
  ['maxClockToleranceSeconds', 1],
  ['keyMaxAgeDays', 86400],
  ['keyRolloverDays', 86400],
];
const KNOWN = [...DURATIONS.map(([f]) => f), 'keyPublished', 'revocation'];
const KINDS: readonly RevocationKind[] = ['none', 'introspection', 'denylist', 'redis'];

type Fail = (field: string, expected: string, found: unknown) => ContractError;

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 80));
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Validates a `policy` section (already known to be an object) and returns
 * it normalized: durations in the field's unit, `keyPublished` dates as
 * NumericDates, the revocation kind plus its source. Throws `ContractError`
 * with the field path.
 *
 * @example parsePolicySection({ tokenLifetimeSeconds: '15m', keyMaxAgeDays: 90 }, 'auth-contract.yaml', 'prod').tokenLifetimeSeconds // 900
 */
export function parsePolicySection(o: Record<string, unknown>, file: string, env: string, issuer?: string): PolicySection {
  const fail: Fail = (field, expected, found) => new ContractError(file, `environments.${env}.policy.${field}`, expected, show(found));
  for (const k of Object.keys(o)) {
    if (!KNOWN.includes(k) && !k.startsWith('x-'))
      throw new ContractError(file, `environments.${env}.policy.${k}`, `a known field (${KNOWN.join(', ')})`, `unknown field "${k}"`);
  }
  const out: PolicySection = {};
  for (const [field, unit] of DURATIONS) {
    const v = o[field];
    if (v === undefined) continue;
    const seconds = parseDuration(v, unit);
    if (seconds === undefined)
      throw fail(field, `a duration: a number >= 0 (${unit === 1 ? 'seconds' : 'days'}) or a string such as "15m", "1h", "90d"`, v);
    (out as Record<string, number>)[field] = seconds / unit;
  }
  if (o.keyPublished !== undefined) out.keyPublished = parseKeyPublished(o.keyPublished, fail);
  if (o.revocation !== undefined) Object.assign(out, parseRevocation(o.revocation, fail, issuer));
  return out;
}

function parseKeyPublished(v: unknown, fail: Fail): Record<string, number> {
  if (!isObject(v)) throw fail('keyPublished', 'an object: kid -> date (ISO 8601 with offset, or UNIX seconds)', v);
  const out: Record<string, number> = {};
  for (const [kid, when] of Object.entries(v)) {
    // YAML reads an unquoted 2026-10-01T00:00:00Z as a string; a bare number is UNIX seconds.
    const at = typeof when === 'number' ? when : typeof when === 'string' ? parseInstant(when) : undefined;
    if (at === undefined || !Number.isFinite(at))
      throw fail(`keyPublished.${kid}`, 'a date: ISO 8601 with Z or an offset, or UNIX seconds', when);
    out[kid] = at;
  }
  return out;
}

/** `revocation`: a kind alone (declared, no source), or one source object. */
function parseRevocation(v: unknown, fail: Fail, issuer: string | undefined): Pick<PolicySection, 'revocation' | 'revocationSource'> {
  if (typeof v === 'string') {
    if (!(KINDS as readonly string[]).includes(v))
      throw fail(
        'revocation',
        `one of ${KINDS.map((k) => JSON.stringify(k)).join(', ')}, or a source { denylist | redis | introspection }`,
        v,
      );
    return { revocation: v as RevocationKind };
  }
  if (!isObject(v))
    throw fail(
      'revocation',
      'a source: { denylist: FILE }, { redis: { url, key } } or { introspection: { endpoint, clientId, clientSecret } }',
      v,
    );
  const kinds = Object.keys(v).filter((k) => !k.startsWith('x-'));
  if (kinds.length !== 1 || !['denylist', 'redis', 'introspection'].includes(kinds[0]!))
    throw fail('revocation', 'exactly one of denylist, redis, introspection', kinds);
  const kind = kinds[0]!;
  const inner = v[kind];
  if (kind === 'denylist') {
    if (typeof inner !== 'string' || inner === '') throw fail('revocation.denylist', 'a file path (relative to the contract)', inner);
    return { revocation: 'denylist', revocationSource: { kind: 'denylist', file: inner } };
  }
  if (!isObject(inner)) throw fail(`revocation.${kind}`, 'an object', inner);
  return kind === 'redis'
    ? { revocation: 'redis', revocationSource: parseRedis(inner, fail) }
    : { revocation: 'introspection', revocationSource: parseIntrospection(inner, fail, issuer) };
}

function parseRedis(o: Record<string, unknown>, fail: Fail): RevocationConfig {
  only(o, ['url', 'key', 'password', 'timeoutMs'], 'revocation.redis', fail);
  const url = o.url;
  if (typeof url !== 'string' || !/^redis:\/\/[^/@]+(\/\d+)?$/.test(url))
    throw fail('revocation.redis.url', 'redis://HOST:PORT[/DB] (no credentials in the URL: use password: { env | file })', url);
  if (typeof o.key !== 'string' || o.key === '')
    throw fail('revocation.redis.key', 'the name of the Redis set holding revoked jti values', o.key);
  const out: RevocationConfig = { kind: 'redis', url, key: o.key, ...timeout(o, 'revocation.redis', fail) };
  if (o.password !== undefined) out.password = secretRef(o.password, 'revocation.redis.password', fail);
  return out;
}

/**
 * Without `endpoint`, the environment's issuer (an http(s) URL) names it
 * through discovery (src/revocation/discover_introspection_endpoint.ts).
 */
function parseIntrospection(o: Record<string, unknown>, fail: Fail, issuer: string | undefined): RevocationConfig {
  only(o, ['endpoint', 'clientId', 'clientSecret', 'timeoutMs'], 'revocation.introspection', fail);
  const discovered = o.endpoint === undefined && issuer !== undefined && /^https?:\/\/./.test(issuer);
  if (!discovered && (typeof o.endpoint !== 'string' || !/^https?:\/\/./.test(o.endpoint)))
    throw fail(
      'revocation.introspection.endpoint',
      "the RFC 7662 introspection endpoint URL (needed when the environment's first issuer is no http(s) URL to discover it from)",
      o.endpoint,
    );
  if (typeof o.clientId !== 'string' || o.clientId === '')
    throw fail('revocation.introspection.clientId', 'the client id the verifier authenticates with', o.clientId);
  const clientSecret = secretRef(o.clientSecret, 'revocation.introspection.clientSecret', fail);
  return {
    kind: 'introspection',
    ...(discovered ? { issuer: issuer! } : { endpoint: o.endpoint as string }),
    clientId: o.clientId,
    clientSecret,
    ...timeout(o, 'revocation.introspection', fail),
  };
}

function only(o: Record<string, unknown>, fields: string[], at: string, fail: Fail): void {
  for (const k of Object.keys(o))
    if (!fields.includes(k)) throw fail(`${at}.${k}`, `a known field (${fields.join(', ')})`, `unknown field "${k}"`);
}

function timeout(o: Record<string, unknown>, at: string, fail: Fail): { timeoutMs?: number } {
  if (o.timeoutMs === undefined) return {};
  if (typeof o.timeoutMs !== 'number' || !Number.isInteger(o.timeoutMs) || o.timeoutMs < 1)
    throw fail(`${at}.timeoutMs`, 'an integer >= 1 (milliseconds)', o.timeoutMs);
  return { timeoutMs: o.timeoutMs };
}

/** Secrets only through a variable or a file: a literal in the contract ends up in git. */
function secretRef(v: unknown, at: string, fail: Fail): SecretRef {
  if (isObject(v) && Object.keys(v).length === 1) {
    if (typeof v.env === 'string' && v.env !== '') return { env: v.env };
    if (typeof v.file === 'string' && v.file !== '') return { file: v.file };
  }
  throw fail(at, '{ env: VARIABLE } or { file: PATH } (never the secret itself)', typeof v === 'string' ? 'a literal string' : v);
}
