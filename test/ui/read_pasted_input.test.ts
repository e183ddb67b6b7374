import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPastedInput } from '../../src/ui/read_pasted_input.ts';

const settings = { header: 'authorization', scheme: 'Bearer' };
const T = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

test('a token, a Bearer value or one header line is the token; a command or a request dump is a request', () => {
  for (const text of [T, `Bearer ${T}`, `Authorization: Bearer ${T}`, `${T.slice(0, 20)}\n${T.slice(20)}`])
    assert.equal(readPastedInput(text, settings).kind, 'token', text);
  const cases: [string, string][] = [
    [`curl -H 'Authorization: Bearer ${T}' https://api.example.com/v1/me`, 'curl_command'],
    [`> GET /v1/me HTTP/1.1\n> Host: api\n> Authorization: Bearer ${T}`, 'curl_verbose'],
    [`GET /v1/me HTTP/1.1\nAuthorization: Bearer ${T}`, 'raw'],
  ];
  for (const [text, format] of cases) {
    const r = readPastedInput(text, settings);
    assert.equal(r.kind, 'headers', text);
    if (r.kind === 'headers') assert.deepEqual([r.format, r.hygiene.token], [format, T]);
  }
});
