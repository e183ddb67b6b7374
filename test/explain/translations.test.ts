/**
 * The translation table (src/explain/translations.ts), one test per entry:
 * every real sample message translates to that entry (not an earlier one
 * that shadows it) with its code and the values it carries; every entry
 * cites its source, names a registered reason code and uses only bounded,
 * non-global patterns. Plus the verifiers the issue names are all there,
 * and messages that are not failures translate to nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSLATIONS, type TranslationEntry } from '../../src/explain/translations.ts';
import { translateMessage } from '../../src/explain/translate.ts';
import { isReasonCode } from '../../src/reasons.ts';

const keywords = (e: TranslationEntry): readonly string[] => (typeof e.keyword === 'string' ? [e.keyword] : e.keyword);

/** A quantified group holding a quantifier: the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

for (const entry of TRANSLATIONS) {
  test(`${entry.id}: its samples translate to ${entry.code} with their values (${entry.verifier})`, () => {
    assert.ok(isReasonCode(entry.code), `${entry.code} is not in src/reasons.ts`);
    assert.match(entry.source, /^(?:[\w.-]+\/[\w.-]+(?: \(bitbucket\))?: \S|https:\/\/)/, 'cites owner/repo: path or a documentation URL');
    assert.equal(entry.pattern.global || entry.pattern.sticky, false, 'a global or sticky pattern keeps state between calls');
    assert.doesNotMatch(entry.pattern.source, NESTED_QUANTIFIER, 'nested quantifier');
    for (const k of keywords(entry)) assert.ok(k.length >= 2 && k === k.toLowerCase(), `keyword "${k}"`);
    assert.ok(entry.samples.length > 0, 'at least one real sample');
    for (const s of entry.samples) {
      const t = translateMessage(s.text);
      assert.ok(t, `not translated: ${s.text}`);
      assert.equal(t.rule, entry.id, `${s.text} matched ${t.rule}`);
      assert.equal(t.code, s.code ?? entry.code, s.text);
      assert.equal(t.verifier, entry.verifier);
      assert.equal(t.source, entry.source);
      assert.equal(t.claim, s.claim ?? entry.claim, `claim of ${s.text}`);
      assert.equal(t.expected, s.expected, `expected of ${s.text}`);
      assert.equal(t.actual, s.actual, `actual of ${s.text}`);
      assert.equal(t.kid, s.kid, `kid of ${s.text}`);
    }
  });
}

test('the nested-quantifier check recognises the catastrophic shapes it guards against', () => {
  for (const bad of ['(a+)+', '(?:x|y*)*', '([^,]{0,9})+', '(\\d+){2,}']) assert.match(bad, NESTED_QUANTIFIER, bad);
  for (const good of ['a+b*', '(?:ab)+', '[^)]{0,512}']) assert.doesNotMatch(good, NESTED_QUANTIFIER, good);
});

test('entry ids are unique', () => {
  const ids = TRANSLATIONS.map((e) => e.id);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
});

test('the table covers every verifier family and IdentityModel code the issue names', () => {
  const ids = new Set(TRANSLATIONS.map((e) => e.id));
  for (const family of [
    'envoy.',
    'jose.',
    'jsonwebtoken.',
    'fast-jwt.',
    'identitymodel.',
    'spring.',
    'nimbus.',
    'go-oidc.',
    'oauth2-proxy.',
    'golang-jwt.',
    'pyjwt.',
    'kong.',
    'hapi-auth-jwt2.',
    'rfc6750.',
  ])
    assert.ok(
      [...ids].some((id) => id.startsWith(family)),
      `no ${family} entry`,
    );
  for (const n of [10205, 10214, 10222, 10223, 10500, 10501, 10503, 10504, 10511, 12741])
    assert.ok(
      [...ids].some((id) => id.startsWith(`identitymodel.idx${n}`)),
      `IDX${n}`,
    );
  const envoy = TRANSLATIONS.filter((e) => e.id.startsWith('envoy.jwt') || e.id.startsWith('envoy.jwks')).map((e) => e.message);
  for (const m of [
    'Jwt is expired',
    "Jwks doesn't have key to match kid or alg from Jwt",
    'Jwt issuer is not configured',
    'Audiences in Jwt are not allowed',
  ])
    assert.ok(envoy.includes(m), m);
});

test('texts that are not a verifier rejecting a token translate to nothing (no guessing)', () => {
  const negatives = [
    'GET /v1/me 200 12ms',
    '{"level":"info","msg":"token refreshed","user":"u1"}',
    'user logged in with a valid token',
    'JWT verified for sub user-1',
    'Invalid JSON body',
    'expired session cookie cleaned up',
    'the audience for this talk is developers',
    "IDX10234: Audience Validated.Audience: 'web-prod'",
    'IDX10239: Lifetime of the token is valid.',
    "IDX10236: Issuer Validated.Issuer: 'https://auth.example.com'",
    'Bearer realm="api" and more text',
    'the key was rotated yesterday',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    'refreshing JWKS for kid staging-2026-11',
    'an invalid token counter was reset',
    'Jwt_is_valid',
    '',
  ];
  for (const text of negatives) assert.equal(translateMessage(text), undefined, text);
});

test("one spelling, one verifier: the same words in other libraries' case and wording stay apart", () => {
  const rule = (text: string) => translateMessage(text)?.rule;
  assert.equal(rule('jwt expired'), 'jsonwebtoken.expired');
  assert.equal(rule('Jwt expired at 2026-11-28T12:00:00Z'), 'spring.expired');
  assert.equal(rule('JWT expired at 2026-11-28T12:00:00Z. Current time: 2026-11-28T12:05:00Z'), 'jjwt.expired');
  assert.equal(rule('Jwt is expired'), 'envoy.jwt_expired');
  assert.equal(rule('invalid signature'), 'jsonwebtoken.invalid_signature');
  assert.equal(rule('{"message":"Invalid signature"}'), 'kong.invalid_signature');
  assert.equal(rule('Signed JWT rejected: Invalid signature'), 'nimbus.invalid_signature');
  assert.equal(rule('oidc: token is expired (Token Expiry: 2026-11-28 12:00:00 +0000 UTC)'), 'go-oidc.expired');
  assert.equal(rule('token has invalid claims: token is expired'), 'golang-jwt.expired');
  assert.equal(
    rule("IDX10223: Lifetime validation failed. The token is expired. ValidTo: '11/28/2026 12:00:00'"),
    'identitymodel.idx10223',
  );
});
