/**
 * Environment isolation (issue 12 item 5): a production environment must
 * reject every token minted for the contract's other environments, by its
 * verifier (the contract's expectations with production's real keys) and
 * by its API (the `api` routes). docs/isolation.md.
 */
import type { Contract } from '../contract/load.ts';
import { readApiConfig, type ApiConfig } from '../contract/api_section.ts';
import { rawEnvironment } from '../contract/sections.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import type { Diagnoser } from '../diagnose.ts';
import { UsageError } from '../errors.ts';
import { createContractDiagnosers } from '../match.ts';
import { makeFinding, rankResult, type Finding } from '../reasons.ts';
import { mintVariants, type MintedVariant, type NotMinted } from './mint_variants.ts';
import { apiVerdict, probeIsolationRoutes, type RouteAnswer } from './probe_isolation_routes.ts';
import { findStaticOverlaps } from './static_overlaps.ts';

export type { NotMinted, RouteAnswer };

export interface IsolationAttempt {
  /** The other environment. */
  from: string;
  /** 'as-minted', 'key', 'issuer' or 'audience' (docs/isolation.md). */
  variant: string;
  verifier: 'accepted' | 'rejected';
  /** not_probed: no api section, or no route gave a verdict (see `routes`). */
  api: 'accepted' | 'rejected' | 'not_probed';
  /** Our reason code for the verifier's rejection. */
  code?: string;
  /** The other environment's issuer or audience the token carried (issuer and audience variants). */
  value?: string;
  /** The signing key's identity: kid and RFC 7638 thumbprint, or an HMAC secret's keyed fingerprint. */
  kid?: string;
  thumbprint?: string;
  fingerprint?: string;
  alg?: string;
  /** Each probed route's answer. */
  routes?: RouteAnswer[];
}

export interface IsolationResult {
  status: 'pass' | 'fail' | 'skip';
  attempts: IsolationAttempt[];
  findings: Finding[];
  reason?: string;
  /** Variants that could not be minted (no signer, a signer that does not load), and why. */
  notMinted?: NotMinted[];
}

export interface CheckIsolationOptions {
  /** The check instant, NumericDate seconds (as mintToken and diagnose take it). */
  now: number;
  /** Deadline of every network call: key sources and API requests (default 5000 ms). */
  timeoutMs?: number;
  /** Variables for `{ env: NAME }` signer and secret references (default process.env). */
  vars?: Record<string, string | undefined>;
}

/**
 * Proves that the production environment `envName` rejects tokens minted
 * for every other environment of the contract: their own tokens, their
 * key with production's claims, and production's signer with their
 * issuer or audience; plus the static overlaps (a key, issuer or audience
 * production shares with another environment). Each accepted token and
 * each overlap is an `environment_isolation_broken` finding naming the
 * environment, the variant, the key (kid, thumbprint) and the route; never
 * a token or key material. `skip` when the environment is not production
 * or nothing can be minted or compared.
 *
 * @example
 * const r = await checkIsolation(loadContract('auth-contract.yaml'), 'prod', { now: Math.floor(Date.now() / 1000) });
 * r.status; // 'pass'
 */
export async function checkIsolation(contract: Contract, envName: string, opts: CheckIsolationOptions): Promise<IsolationResult> {
  const env = Object.prototype.hasOwnProperty.call(contract.environments, envName) ? contract.environments[envName] : undefined;
  if (!env) throw new UsageError(`unknown environment "${envName}" (the contract has: ${Object.keys(contract.environments).join(', ')})`);
  // A clock in milliseconds would mint tokens from the year 50000: refuse it rather than report nonsense.
  if (!Number.isFinite(opts.now) || opts.now > 1e11)
    throw new UsageError(`checkIsolation: now must be NumericDate seconds, got ${opts.now}`);
  if (env.production !== true) return skip(`environment ${envName} is not marked production: true`);
  if (Object.keys(contract.environments).length < 2) return skip('the contract has no other environment');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const diagnosers = await createContractDiagnosers(contract, { timeoutMs, ...(opts.vars ? { vars: opts.vars } : {}) });
  const prod = diagnosers.get(envName)!;
  const keysByEnv = new Map([...diagnosers].map(([name, d]) => [name, d.keys] as const));
  const findings = [...keySourceFailures(prod), ...findStaticOverlaps(contract, envName, keysByEnv)];
  const plan = mintVariants(contract, envName, opts.now, opts.vars);
  const api = rawEnvironment(contract, envName).api !== undefined ? readApiConfig(contract, envName) : undefined;
  const attempts: IsolationAttempt[] = [];
  for (const v of plan.minted) attempts.push(await runAttempt(prod, api, v, opts.now, timeoutMs));
  findings.push(...attempts.flatMap(acceptedFinding), ...inconclusiveFindings(attempts));
  return summarize(envName, attempts, findings, plan.notMinted, api);
}

const SPECIFIC = { specificClaims: true } as const;

function skip(reason: string): IsolationResult {
  return { status: 'skip', attempts: [], findings: [], reason };
}

/** Production's key sources that did not load: every rejection then proves nothing about keys (jwks_unreachable). */
function keySourceFailures(prod: Diagnoser): Finding[] {
  return prod.sources
    .filter((s) => !s.ok)
    .map((s) =>
      makeFinding('jwks_unreachable', { detail: { kind: s.kind, ...(s.location ? { location: s.location } : {}), error: s.error } }),
    );
}

/** One token: diagnosed against production's contract and keys, then sent to production's API routes. */
async function runAttempt(
  prod: Diagnoser,
  api: ApiConfig | undefined,
  v: MintedVariant,
  now: number,
  timeoutMs: number,
): Promise<IsolationAttempt> {
  const diagnosis = prod.diagnose(v.token, { now });
  const routes = api ? await probeIsolationRoutes(api, v.token, timeoutMs) : undefined;
  const verdict = routes ? apiVerdict(routes) : 'not_probed';
  const { kid, thumbprint, fingerprint, alg } = v.signer;
  return {
    from: v.from,
    variant: v.variant,
    verifier: diagnosis.result === 'valid' ? 'accepted' : 'rejected',
    api: verdict === 'inconclusive' ? 'not_probed' : verdict,
    // The specific claim (issuer_mismatch, audience_mismatch) says which check kept the token out, not claim_mismatch.
    ...(diagnosis.result !== 'valid'
      ? { code: diagnosis.result === 'claim_mismatch' ? rankResult(diagnosis.findings, SPECIFIC) : diagnosis.result }
      : {}),
    ...(v.value !== undefined ? { value: v.value } : {}),
    ...(kid !== undefined ? { kid } : {}),
    ...(thumbprint !== undefined ? { thumbprint } : {}),
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    alg,
    ...(routes ? { routes } : {}),
  };
}

/** An accepted token is one critical finding: who it was minted for, how, with which key, where it got in. */
function acceptedFinding(a: IsolationAttempt): Finding[] {
  const accepted = (a.routes ?? []).filter((r) => r.verdict === 'accepted').map((r) => r.route);
  if (a.verifier !== 'accepted' && accepted.length === 0) return [];
  const { from, variant, verifier, api, value, kid, thumbprint, fingerprint, alg } = a;
  const key = { kid, thumbprint, fingerprint, alg, value };
  const evidence = Object.fromEntries(Object.entries(key).filter(([, x]) => x !== undefined));
  return [
    makeFinding('environment_isolation_broken', {
      detail: { from, variant, verifier, api, ...evidence, ...(accepted.length > 0 ? { routes: accepted } : {}), critical: true },
    }),
  ];
}

/** A route that neither accepted nor rejected (no answer, 404, 500) proves nothing: one finding per route. */
function inconclusiveFindings(attempts: readonly IsolationAttempt[]): Finding[] {
  const seen = new Map<string, RouteAnswer>();
  for (const a of attempts) for (const r of a.routes ?? []) if (r.verdict === 'inconclusive' && !seen.has(r.route)) seen.set(r.route, r);
  return [...seen.values()].map((r) =>
    makeFinding(r.error !== undefined ? 'transport_error' : 'route_unexpected_status', {
      detail: {
        check: 'isolation',
        route: r.route,
        ...(r.status !== undefined ? { status: r.status } : {}),
        ...(r.error ? { error: r.error } : {}),
      },
    }),
  );
}

function summarize(
  envName: string,
  attempts: IsolationAttempt[],
  findings: Finding[],
  notMinted: NotMinted[],
  api: ApiConfig | undefined,
): IsolationResult {
  const extra = notMinted.length > 0 ? { notMinted } : {};
  if (findings.some((f) => f.severity === 'error')) return { status: 'fail', attempts, findings, ...extra };
  if (attempts.length === 0)
    return {
      status: 'skip',
      attempts,
      findings,
      reason: `nothing to mint: neither ${envName} nor another environment has a signer`,
      ...extra,
    };
  const probed = attempts.some((a) => (a.routes ?? []).length > 0);
  const reason = probed
    ? undefined
    : `environment ${envName} has ${api ? 'no route expecting 2xx' : 'no api section'}: only its verifier was checked`;
  return { status: 'pass', attempts, findings, ...(reason ? { reason } : {}), ...extra };
}
