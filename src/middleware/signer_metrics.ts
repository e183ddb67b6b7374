import type { Counter, Registry } from 'prom-client';
import { loadPromClient } from './prom_client.ts';
import { METRIC_NAMES, UNKNOWN_KID } from './metrics.ts';

export interface SignerMetrics {
  /** Call once per token the signer issues, with the kid it signed with. */
  issued(kid: string | undefined): void;
  counter: Counter<'kid'>;
}

/**
 * The signer-side half of rotation observability: counts
 * `jwt_tokens_issued_total{kid}`. During a rotation, issued{kid=new}
 * rises while verified{kid=old} on the verifiers falls; `rotation retire`
 * compares the two. Pass `kids` (the signer's own key ids) to keep the
 * label bounded: any other value is counted as "unknown".
 *
 * @example
 * const signerMetrics = createSignerMetrics({ registry, kids: ['2026-11', '2026-12'] });
 * const token = sign(claims, key); signerMetrics.issued('2026-12');
 */
export function createSignerMetrics(options: { registry?: Registry; kids?: readonly string[] } = {}): SignerMetrics {
  const { Counter, register: globalRegistry } = loadPromClient();
  const registry = options.registry ?? globalRegistry;
  const allowed = options.kids ? new Set(options.kids) : undefined;
  const counter =
    (registry.getSingleMetric(METRIC_NAMES.issued) as Counter<'kid'> | undefined) ??
    new Counter({
      name: METRIC_NAMES.issued,
      help: 'Tokens issued by the signer, by key id.',
      labelNames: ['kid'] as const,
      registers: [registry],
    });
  return {
    counter,
    issued(kid) {
      counter.inc({ kid: kid !== undefined && (!allowed || allowed.has(kid)) ? kid : UNKNOWN_KID });
    },
  };
}
