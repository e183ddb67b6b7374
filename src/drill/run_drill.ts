import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { readApiConfig, type ApiConfig } from '../contract/api_section.ts';
import type { Contract } from '../contract/load.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import { UsageError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import { getAlgorithm } from '../keys/algorithms.ts';
import { keyContextFor, resolveKeys } from '../keys/sources.ts';
import { servedJwksAddress, startDrillListener, type DrillListener } from './listener.ts';
import { runAttacks } from './run_attacks.ts';
import { runHeaderStrip } from './run_header_strip.ts';
import { runRotation, type ServedJwks } from './run_rotation.ts';
import { runSkew } from './run_skew.ts';
import { generateDrillSigner, type DrillSigner } from './drill_signer.ts';
import { DRILL_SCHEMA, type Scenario, type DrillContext, type DrillOptions, type DrillReport, type DrillResult } from './types.ts';

// Rotation last: it retires the key the other drills sign with.
const RUN_ORDER: readonly Scenario[] = ['header-strip', 'skew', 'attacks', 'rotation'];

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RunDrillOptions extends DrillOptions {
  /** Run against an environment marked `production: true` (`--i-know`). */
  allowProduction?: boolean;
}

function pickEnv(contract: Contract, name: string): Expectations {
  const env = contract.environments[name];
  if (!env) throw new UsageError(`unknown environment "${name}" (the contract has: ${Object.keys(contract.environments).join(', ')})`);
  return { ...env, name };
}

function targetApi(contract: Contract, name: string, target: string | undefined): ApiConfig {
  const api = readApiConfig(contract, name);
  return target === undefined ? api : { ...api, baseUrl: target };
}

/** Served mode: the environment's verifier fetches its keys from a loopback jwksUri nothing else listens on: the drill serves it. */
async function serveJwks(env: Expectations): Promise<{ listener: DrillListener; served: ServedJwks } | undefined> {
  const at = servedJwksAddress(env.keys);
  if (!at) return undefined;
  let listener: DrillListener;
  try {
    listener = await startDrillListener(at.host, at.port);
  } catch {
    // Something (a real local issuer) already serves it: the drill uses the contract's keys instead.
    return undefined;
  }
  return { listener, served: { url: at.url, path: at.path, publish: (keys) => listener.publish(at.path, JSON.stringify({ keys })) } };
}

/** The served key: the given signer when it has a public half, else a fresh key of the environment's first asymmetric algorithm. */
function servedSigner(env: Expectations, given: DrillSigner | undefined): DrillSigner {
  if (given?.publicJwk) return given;
  const alg =
    (env.algorithms ?? []).find((a) => {
      const e = getAlgorithm(a);
      return e !== undefined && e.kty !== 'oct';
    }) ?? 'RS256';
  return generateDrillSigner(alg, `jwt-doctor-drill-${alg.toLowerCase()}`);
}

/** The environment's asymmetric public keys, for the algorithm-confusion attacks. */
async function publicKeysOf(
  env: Expectations,
  contract: Contract,
  signer: DrillSigner,
  timeoutMs: number,
): Promise<Array<{ kid?: string; key: KeyObject }>> {
  const resolved = await resolveKeys(env.keys ?? [], keyContextFor(env, { baseDir: contract.baseDir, timeoutMs }));
  const keys: Array<{ kid?: string; key: KeyObject }> = resolved.keys
    .filter((k) => k.kty !== 'oct')
    .map((k) => ({ ...(k.kid !== undefined ? { kid: k.kid } : {}), key: k.keyObject }));
  if (keys.length === 0 && signer.publicJwk)
    keys.push({
      ...(signer.kid !== undefined ? { kid: signer.kid } : {}),
      key: createPublicKey({ key: signer.publicJwk as never, format: 'jwk' }),
    });
  return keys;
}

/**
 * Runs the quarterly drills of the seed guide against the environment's
 * API (or `options.target`): rotation, clock skew, header stripping and
 * forged-token attacks. Refuses a `production: true` environment unless
 * `allowProduction`. Never throws on what the target does: every
 * answer is a step with evidence; `ready` only when every step passed.
 *
 * @example const report = await runDrill(contract, 'staging', { scenarios: ['attacks'], signer }); report.ready
 */
export async function runDrill(contract: Contract, envName: string, options: RunDrillOptions): Promise<DrillReport> {
  const env = pickEnv(contract, envName);
  if (env.production === true && !options.allowProduction)
    throw new UsageError(
      `environment "${envName}" is marked production: true; drills send forged and shifted tokens to it. Pass --i-know to run them anyway`,
    );
  const api = targetApi(contract, envName, options.target);
  const now = options.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const serving = await serveJwks(env);
  const listeners: DrillListener[] = serving ? [serving.listener] : [];
  try {
    const signer = serving ? servedSigner(env, options.signer) : options.signer;
    if (options.scenarios.includes('rotation') && !serving)
      throw new UsageError(
        `the rotation drill publishes and retires keys: give environment "${envName}" a jwksUri key source on a free loopback port (e.g. http://127.0.0.1:8788/jwks.json) that its verifier fetches, and the drill serves it`,
      );
    if (!signer)
      throw new UsageError(
        'the drills need tokens the target accepts: pass --signer-key PATH or --signer-secret VAR, give the environment a signer: section, or point it at a loopback jwksUri the drill serves',
      );
    serving?.served.publish([signer.publicJwk!]);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ctx: DrillContext = {
      env,
      api,
      signer,
      served: serving?.listener,
      options,
      nowSeconds: () => Math.floor(now() / 1000),
      timeoutMs,
      sleep: options.sleep ?? realSleep,
    };
    const drills: DrillResult[] = [];
    for (const scenario of RUN_ORDER.filter((s) => options.scenarios.includes(s))) {
      if (scenario === 'header-strip') drills.push(await runHeaderStrip(ctx));
      else if (scenario === 'skew') drills.push(await runSkew(ctx));
      else if (scenario === 'attacks') {
        const listener = serving?.listener ?? (await startDrillListener(options.listenHost ?? '127.0.0.1', options.listenPort ?? 0));
        if (!serving) listeners.push(listener);
        drills.push(await runAttacks(ctx, { listener, publicKeys: await publicKeysOf(env, contract, signer, timeoutMs) }));
      } else drills.push(await runRotation(ctx, contract, serving!.served));
    }
    return {
      schema: DRILL_SCHEMA,
      env: envName,
      target: api.baseUrl,
      startedAt,
      drills,
      findings: drills.flatMap((d) => d.findings),
      ready: drills.length > 0 && drills.every((d) => d.ready),
    };
  } finally {
    await Promise.all(listeners.map((l) => l.close()));
  }
}
