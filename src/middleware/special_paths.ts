import { keysSnapshotResponse } from './debug_endpoint.ts';
import type { Verifier } from './verifier.ts';

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The two paths a verifier may serve itself when enabled: the key debug
 * endpoint and the metrics text. Undefined for every other request (and
 * for both when they are disabled, the default).
 *
 * @example const special = await answerSpecialPath(verifier, req.method, req.url);
 */
export async function answerSpecialPath(
  verifier: Verifier,
  method: string | undefined,
  url: string | undefined,
): Promise<PlainResponse | undefined> {
  if (method !== 'GET' || url === undefined || (verifier.debugPath === undefined && verifier.metricsPath === undefined)) return undefined;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === verifier.debugPath) {
    await verifier.ready();
    return keysSnapshotResponse(verifier.keysSnapshot());
  }
  if (path === verifier.metricsPath && verifier.metrics) {
    const registry = verifier.metrics.registry;
    return { status: 200, headers: { 'content-type': registry.contentType }, body: await registry.metrics() };
  }
  return undefined;
}
