/**
 * translateMessage per log line (not part of `npm run bench`; a smoke for
 * triage's hot path): a line no entry can match, two verifier messages, and
 * a 1 MB hostile line.
 *   node --import tsx bench/explain.ts
 */
import { translateMessage } from '../src/explain/translate.ts';

const LINES: Record<string, string> = {
  'no message (info line)':
    '{"time":"2026-11-28T12:05:00Z","level":"info","route":"/v1/orders","status":200,"latency_ms":12,"client":"web","msg":"request completed"}',
  'jsonwebtoken in a JSON line':
    '{"time":"2026-11-28T12:05:00Z","level":"warn","route":"/v1/orders","status":401,"msg":"JsonWebTokenError: jwt audience invalid. expected: web-prod"}',
  'envoy access log': '[2026-11-28T12:05:00.000Z] "GET /v1/me HTTP/1.1" 401 - jwt_authn_access_denied{Jwt_is_expired} 0 14 0 - "-"',
};

for (const [name, line] of Object.entries(LINES)) {
  const n = 200_000;
  for (let i = 0; i < 10_000; i++) translateMessage(line);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) translateMessage(line);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  process.stdout.write(`${name}: ${Math.round(ns)} ns/line (${Math.round(1e9 / ns)} lines/s)\n`);
}
const hostile = `IDX10214: Audience validation failed. Audiences: '${'a'.repeat(1 << 20)}`;
const t0 = process.hrtime.bigint();
translateMessage(hostile);
process.stdout.write(`1 MB hostile line: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2)} ms\n`);
