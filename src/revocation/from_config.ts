import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { RevocationConfig, SecretRef } from '../contract/policy_section.ts';
import { createDenylistSource } from './denylist_source.ts';
import { createRedisSetSource } from './redis_set_source.ts';
import { parseRedisUrl } from './redis_client.ts';
import { createIntrospectionSource } from './introspection_source.ts';
import type { RevocationSource } from './revocation_source.ts';

export interface RevocationContext {
  /** Folder relative paths resolve against (the contract's). */
  baseDir?: string;
  /** Variables for `{ env }` secrets (default process.env). */
  vars?: Record<string, string | undefined>;
  /** Timeout when the source names none (its own timeoutMs wins). */
  timeoutMs?: number;
}

const pathOf = (p: string, ctx: RevocationContext) => (isAbsolute(p) ? p : resolve(ctx.baseDir ?? process.cwd(), p));

/** A secret from its variable or file; unset or unreadable is a usage error naming where it was looked for (never the value). */
function readSecret(ref: SecretRef, what: string, ctx: RevocationContext): string {
  if ('env' in ref) {
    const v = (ctx.vars ?? process.env)[ref.env];
    if (v === undefined || v === '') throw new UsageError(`${what}: environment variable ${ref.env} is not set`);
    return v;
  }
  try {
    const v = readFileSync(pathOf(ref.file, ctx), 'utf8').replace(/\r?\n$/, '');
    if (v === '') throw new UsageError(`${what}: ${ref.file} is empty`);
    return v;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${what}: cannot read ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * The revocation source a contract's `policy.revocation` names, built once
 * (secrets read now: an unset variable is a usage error before any token is
 * checked). The same object serves `policy`, `diagnose` and the middleware's
 * `revocation` option.
 *
 * @example const source = createRevocationSource(readPolicySection(contract, env).revocationSource!, { baseDir: contract.baseDir });
 */
export function createRevocationSource(config: RevocationConfig, ctx: RevocationContext = {}): RevocationSource {
  const t = (config.kind === 'denylist' ? undefined : config.timeoutMs) ?? ctx.timeoutMs;
  const timeoutMs = t !== undefined ? { timeoutMs: t } : {};
  switch (config.kind) {
    case 'denylist':
      return createDenylistSource(pathOf(config.file, ctx), config.file);
    case 'redis':
      if (!parseRedisUrl(config.url)) throw new UsageError(`policy.revocation.redis.url: ${config.url} is not redis://HOST:PORT[/DB]`);
      return createRedisSetSource({
        url: config.url,
        key: config.key,
        ...(config.password ? { password: readSecret(config.password, 'policy.revocation.redis.password', ctx) } : {}),
        ...timeoutMs,
      });
    case 'introspection':
      return createIntrospectionSource({
        ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
        ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
        clientId: config.clientId,
        clientSecret: readSecret(config.clientSecret, 'policy.revocation.introspection.clientSecret', ctx),
        ...timeoutMs,
      });
  }
}
