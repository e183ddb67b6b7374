import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import type { Finding } from '../reasons.ts';
import { readPolicySection, type PolicySection } from '../contract/sections.ts';
import { keyContextFor, type SourceReport } from '../keys/sources.ts';
import { loadKeyMaterials } from '../rotation/load_key_material.ts';
import { createDiagnoser } from '../diagnose/create_diagnoser.ts';
import type { Diagnoser } from '../diagnose.ts';
import { normalizeTokenInput } from '../token/normalize.ts';
import type { RevocationSource } from '../revocation/revocation_source.ts';
import { revocationFinding } from '../revocation/revocation_finding.ts';
import { checkKeyPolicy, keyAgeOf, type KeyAge } from './check_key_policy.ts';
import { checkTokenPolicy, checkTolerancePolicy, type TokenLifecycle } from './check_token_policy.ts';

export const POLICY_SCHEMA = 'jwt-doctor/policy/v1';

/** One checked token: what the report may show (jti and sub as decoded, never the token). */
export interface PolicyTokenRow extends TokenLifecycle {
  index: number;
  jti?: string;
  sub?: string;
  signature: string;
  revocation: 'not_revoked' | 'revoked' | 'unavailable' | 'not_checked';
  findings: Finding[];
}

export interface PolicyKeyRow extends KeyAge {
  ageDays?: number;
}

export interface PolicyReport {
  schema: typeof POLICY_SCHEMA;
  env: string;
  /** The instant the checks ran at (ISO 8601). */
  now: string;
  result: 'pass' | 'violation';
  /** The policy as normalized; the revocation source by name only. */
  policy: Omit<PolicySection, 'revocationSource'> & { revocationSource?: string };
  clockToleranceSeconds: number;
  keys: PolicyKeyRow[];
  keySources: SourceReport[];
  tokens: PolicyTokenRow[];
  /** Every finding: verifier, keys, tokens. */
  findings: Finding[];
}

export interface PolicyCheckInput {
  contract: Contract;
  env: Expectations;
  tokens: readonly string[];
  /** NumericDate seconds. */
  now: number;
  timeoutMs?: number;
  /** The revocation source (built from the policy by the caller), or undefined to skip revocation. */
  revocation?: RevocationSource;
  vars?: Record<string, string | undefined>;
}

/**
 * `jwt-doctor policy`: the environment's verifier settings, key set and
 * tokens against its lifecycle policy. Keys are read by the same loader as
 * rotation's inspection (raw JWK kept for `iat` and `x5c`); tokens are
 * verified with the environment's keys first, and only a token whose
 * signature passes is looked up in the revocation source (a forged token is
 * never sent to an introspection endpoint). Never throws on a bad token or
 * an unreachable source: those are findings, and the report is still built.
 */
export async function buildPolicyReport(input: PolicyCheckInput): Promise<PolicyReport> {
  const { contract, env, now } = input;
  const policy = readPolicySection(contract, env);
  const load = {
    baseDir: contract.baseDir,
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
    ...(input.vars !== undefined ? { vars: input.vars } : {}),
  };
  const wantsKeys = policy.keyMaxAgeDays !== undefined || policy.keyRolloverDays !== undefined;
  const material = wantsKeys
    ? await loadKeyMaterials(env.keys ?? [], keyContextFor(env, load))
    : { entries: [], findings: [], sources: [] };
  const ages = material.entries
    .filter((e) => e.record)
    .map((e) =>
      keyAgeOf(
        {
          ...(e.record!.kid !== undefined ? { kid: e.record!.kid } : {}),
          ...(e.record!.thumbprint !== undefined ? { thumbprint: e.record!.thumbprint } : {}),
          ...(e.jwk ? { jwk: e.jwk } : {}),
        },
        policy,
      ),
    );
  const diagnoser = input.tokens.length > 0 ? await createDiagnoser(env, { contract, ...load }) : undefined;
  const tokens: PolicyTokenRow[] = [];
  for (const [i, token] of input.tokens.entries()) {
    const row = await checkToken(i + 1, token, diagnoser!, policy, input);
    // Each token finding names its token (by position: the report never carries the token).
    row.findings = row.findings.map((f) => ({ ...f, detail: { token: row.index, ...f.detail } }));
    tokens.push(row);
  }
  const findings = [
    ...checkTolerancePolicy(env.clockToleranceSeconds, policy),
    ...material.findings,
    ...checkKeyPolicy(ages, policy, now),
    ...tokens.flatMap((t) => t.findings),
  ];
  const { revocationSource, ...rest } = policy;
  return {
    schema: POLICY_SCHEMA,
    env: env.name ?? 'default',
    now: new Date(now * 1000).toISOString(),
    result: findings.some((f) => f.severity === 'error') ? 'violation' : 'pass',
    policy: { ...rest, ...(revocationSource ? { revocationSource: input.revocation?.name ?? revocationSource.kind } : {}) },
    clockToleranceSeconds: env.clockToleranceSeconds ?? 0,
    keys: ages.map((k) => ({
      ...k,
      ...(k.publishedAt !== undefined ? { ageDays: Math.round(((now - k.publishedAt) / 86400) * 10) / 10 } : {}),
    })),
    keySources: material.sources,
    tokens,
    findings,
  };
}

async function checkToken(
  index: number,
  token: string,
  diagnoser: Diagnoser,
  policy: PolicySection,
  input: PolicyCheckInput,
): Promise<PolicyTokenRow> {
  const d = diagnoser.diagnose(token, { now: input.now });
  const claims = d.claims ?? {};
  const row: PolicyTokenRow = { index, signature: d.signature.status, revocation: 'not_checked', findings: [] };
  if (typeof claims.jti === 'string') row.jti = claims.jti;
  if (typeof claims.sub === 'string') row.sub = claims.sub;
  if (d.signature.status !== 'pass' || !d.claims) {
    // Lifecycle facts of an unverified token prove nothing: report why it does not verify.
    const why = d.findings.find((f) => f.code === d.result && f.severity === 'error');
    if (why) row.findings.push(why);
    return row;
  }
  const checked = checkTokenPolicy(claims, policy, input.now);
  Object.assign(row, checked.lifecycle);
  row.findings.push(...checked.findings);
  if (input.revocation) {
    const answer = await input.revocation.isRevoked({ claims, token: normalizeTokenInput(token).token });
    row.revocation = !answer.ok ? 'unavailable' : answer.revoked ? 'revoked' : 'not_revoked';
    const f = revocationFinding(answer);
    if (f) row.findings.push(f);
  }
  return row;
}
