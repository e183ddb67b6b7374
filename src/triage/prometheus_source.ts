// src/triage/prometheus_source.ts
import type { TriageEvent } from './event.ts';
export interface PrometheusReadOptions {
  env?: string;
  sinceSeconds: number;
  stepSeconds: number;
  now: number;
  timeoutMs?: number;
}
export interface PrometheusRead {
  events: TriageEvent[];
  errors: Array<{ code: string; message: string }>;
}
/** PLACEHOLDER: the Prometheus helper writes the real reader. */
export async function readPrometheusEvents(_url: string, _opts: PrometheusReadOptions): Promise<PrometheusRead> {
  return { events: [], errors: [{ code: 'prometheus_unavailable', message: 'not built' }] };
}
