/**
 * Property tests (issue 8 item 7) with fast-check: on arbitrary strings,
 * mutated tokens and tokens signed over arbitrary JSON, `decodeToken` and
 * the diagnoser never throw and only speak registry codes; no rendering of
 * a diagnosis (text, json, markdown) ever contains the HMAC secret in any
 * encoding; `--sanitize` renderings never contain the token or its
 * signature.
 *
 * CI-sized: a few hundred runs per property. fast-check prints the seed
 * and the shrunk counterexample on failure; rerun one with FC_SEED=<seed>.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { decodeToken } from '../../src/token/decode.ts';
import { buildDiagnoser, type Diagnosis } from '../../src/diagnose.ts';
import { importSecretText } from '../../src/keys/import.ts';
import { REASONS } from '../../src/reasons.ts';
import { renderDiagnosis } from '../../src/cli/output.ts';
import { NOW } from '../helpers/index.ts';

const RUNS = Number(process.env.FC_RUNS ?? 300);
const params = (): fc.Parameters<unknown> => ({ numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });
const isCode = (c: string) => Object.hasOwn(REASONS, c);

// A high-entropy secret: any of its encodings showing up in output is a leak, not a coincidence.
const SECRET = randomBytes(32).toString('base64url');
const SECRET_FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(SECRET).toString('base64url'),
  Buffer.from(SECRET).toString('hex'),
];
const diagnoser = buildDiagnoser(
  { name: 'prop', issuer: ['https://issuer.example'], audience: ['api'], algorithms: ['HS256'], requiredClaims: ['sub'] },
  { keys: [importSecretText(SECRET, 'utf8', { kind: 'secret', location: 'literal' }, { kid: 'k1' })] },
);

const b64 = (s: string | Uint8Array) => Buffer.from(s as string).toString('base64url');
function hs256(header: string, payload: string, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Claims near the shape of a real token, with arbitrary JSON mixed in (huge/negative dates, wrong types, nesting). */
const claimsArb = fc.record(
  {
    iss: fc.oneof(fc.constant('https://issuer.example'), fc.string(), fc.integer(), fc.constant(null)),
    aud: fc.oneof(fc.constant('api'), fc.array(fc.string(), { maxLength: 3 }), fc.constant([])),
    sub: fc.oneof(fc.string(), fc.integer()),
    exp: fc.oneof(fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }), fc.double(), fc.constant(8.64e15 + 1), fc.string()),
    nbf: fc.oneof(fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }), fc.double()),
    iat: fc.oneof(fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }), fc.double({ noNaN: true })),
    extra: fc.jsonValue({ maxDepth: 4 }),
  },
  { requiredKeys: [] },
);
const headerArb = fc.oneof(
  fc.constant({ alg: 'HS256', kid: 'k1', typ: 'JWT' }),
  fc.record(
    {
      alg: fc.oneof(fc.constantFrom('HS256', 'none', 'NONE', 'RS256', 'ES256', 'HS512'), fc.string()),
      kid: fc.oneof(fc.constant('k1'), fc.string(), fc.integer()),
      crit: fc.array(fc.string(), { maxLength: 2 }),
    },
    { requiredKeys: ['alg'] },
  ),
);
/** A signed token (good or wrong secret) over arbitrary header/claims text. */
const signedArb = fc
  .tuple(headerArb, claimsArb, fc.boolean())
  .map(([h, c, right]) => hs256(JSON.stringify(h), JSON.stringify(c), right ? SECRET : 'wrong-secret-wrong-secret-wrong!'));

/** Mutations of a valid token: the way a copy, a proxy or an attacker breaks one. */
const validToken = hs256(
  JSON.stringify({ alg: 'HS256', kid: 'k1', typ: 'JWT' }),
  JSON.stringify({ iss: 'https://issuer.example', aud: 'api', sub: 'u', iat: NOW - 10, exp: NOW + 600 }),
);
const mutatedArb = fc
  .tuple(fc.nat({ max: validToken.length - 1 }), fc.string({ maxLength: 4 }), fc.constantFrom('insert', 'replace', 'delete', 'flip'))
  .map(([at, s, how]) => {
    if (how === 'insert') return validToken.slice(0, at) + s + validToken.slice(at);
    if (how === 'replace') return validToken.slice(0, at) + s + validToken.slice(at + s.length);
    if (how === 'delete') return validToken.slice(0, at) + validToken.slice(at + 1 + s.length);
    return validToken.slice(0, at) + String.fromCharCode(validToken.charCodeAt(at) ^ (1 << (s.length % 7))) + validToken.slice(at + 1);
  });
const anyInput = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), mutatedArb, signedArb);

function assertRegistryOnly(d: Diagnosis): void {
  assert.ok(d.result === 'valid' || isCode(d.result), d.result);
  for (const f of d.findings) assert.ok(isCode(f.code), f.code);
  if (d.result !== 'valid')
    assert.ok(
      d.findings.some((f) => f.code === d.result || REASONS[f.code].category !== 'advice'),
      'a failing result comes with its findings',
    );
}

test('decodeToken never throws and only reports registry codes', () => {
  fc.assert(
    fc.property(anyInput, (token) => {
      const r = decodeToken(token);
      for (const f of r.findings) assert.ok(isCode(f.code), f.code);
      if (!r.ok) assert.ok(r.findings.length > 0, 'a failed decode says why');
    }),
    params(),
  );
});

test('diagnose never throws and always ends with valid or a registry code', () => {
  fc.assert(
    fc.property(anyInput, (token) => {
      assertRegistryOnly(diagnoser.diagnose(token, { now: NOW }));
    }),
    params(),
  );
});

test('diagnoseAsync agrees with diagnose', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(mutatedArb, signedArb), async (token) => {
      const a = diagnoser.diagnose(token, { now: NOW });
      const b = await diagnoser.diagnoseAsync(token, { now: NOW });
      assert.equal(b.result, a.result);
    }),
    { ...params(), numRuns: Math.min(RUNS, 150) },
  );
});

test('no rendering of a diagnosis contains the secret (raw, base64, base64url, hex)', () => {
  fc.assert(
    fc.property(fc.oneof(signedArb, mutatedArb), fc.constantFrom('text', 'json', 'markdown'), fc.boolean(), (token, format, sanitize) => {
      const out = renderDiagnosis(diagnoser.diagnose(token, { now: NOW }), format, sanitize);
      for (const form of SECRET_FORMS) assert.ok(!out.includes(form), `secret (${form.length} chars) in ${format} output`);
    }),
    params(),
  );
});

test('--sanitize renderings never contain the token or its signature', () => {
  fc.assert(
    fc.property(signedArb, fc.constantFrom('text', 'json', 'markdown'), (token, format) => {
      const out = renderDiagnosis(diagnoser.diagnose(token, { now: NOW }), format, true);
      const signature = token.slice(token.lastIndexOf('.') + 1);
      assert.ok(!out.includes(token), 'token in sanitized output');
      assert.ok(!out.includes(signature), 'signature in sanitized output');
    }),
    params(),
  );
});

test('a token signed with the secret over valid claims is valid (the properties above are not vacuous)', () => {
  assert.equal(diagnoser.diagnose(validToken, { now: NOW }).result, 'valid');
  const out = renderDiagnosis(diagnoser.diagnose(validToken, { now: NOW }), 'json', true);
  assert.ok(out.includes('"result": "valid"'));
});
