/**
 * src/checks/claims.ts, each exported check called directly: codes,
 * claim, expected / actual and the near-miss detail of every branch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAudience,
  checkExpectedClaims,
  checkIssuer,
  checkRequiredClaims,
  checkTyp,
  issuerNearMiss,
  matchClaim,
  normalizeTyp,
  type ClaimContext,
} from '../../src/checks/claims.ts';
import { codes } from '../helpers/index.ts';

const ISS = 'https://auth.example.com';
const OTHERS: ClaimContext = {
  otherEnvironments: [{ name: 'staging', issuer: ['https://auth.staging.example.com'], audience: ['web-staging'] }],
};

test('issuerNearMiss names each near miss, and nothing for unrelated or unparsable issuers', () => {
  const cases: [string, string, string | undefined][] = [
    [`${ISS}/`, ISS, 'trailing_slash'],
    ['HTTPS://AUTH.EXAMPLE.COM', ISS, 'case'],
    ['http://auth.example.com', ISS, 'scheme'],
    ['https://auth.example.com:8443', ISS, 'port'],
    ['https://Auth.Example.com/x', 'https://auth.example.com/x', 'case'],
    ['https://auth.staging.example.com', ISS, 'host_alias'],
    ['https://login.other.org', ISS, undefined],
    ['not a url', ISS, undefined],
    ['https://auth.example.com/tenant-a', 'https://auth.example.com/tenant-b', undefined],
  ];
  for (const [actual, expected, want] of cases) assert.equal(issuerNearMiss(actual, expected), want, `${actual} vs ${expected}`);
});

test('checkIssuer: no expectation passes; any listed issuer passes; absent is missing_claim', () => {
  assert.deepEqual(checkIssuer({ iss: 'anything' }, {}), []);
  assert.deepEqual(checkIssuer({ iss: 'anything' }, { issuer: [] }), []);
  assert.deepEqual(checkIssuer({ iss: 'https://b' }, { issuer: ['https://a', 'https://b'] }), []);
  const [missing, ...rest] = checkIssuer({}, { issuer: [ISS] });
  assert.equal(rest.length, 0);
  assert.equal(missing!.code, 'missing_claim');
  assert.deepEqual([missing!.claim, missing!.expected, missing!.actual], ['iss', ISS, null]);
});

test('checkIssuer: issuer_mismatch with the near miss, the other environment, or neither', () => {
  const slash = checkIssuer({ iss: `${ISS}/` }, { issuer: [ISS] })[0]!;
  assert.equal(slash.code, 'issuer_mismatch');
  assert.deepEqual([slash.claim, slash.expected, slash.actual], ['iss', ISS, `${ISS}/`]);
  assert.deepEqual(slash.detail, { nearMiss: 'trailing_slash' });

  const other = checkIssuer({ iss: 'https://auth.staging.example.com' }, { issuer: [ISS] }, OTHERS)[0]!;
  assert.deepEqual(other.detail, { nearMiss: 'host_alias', issuerOfEnvironments: ['staging'] });

  const unrelated = checkIssuer({ iss: 'https://login.other.org' }, { issuer: [ISS, 'https://b'] })[0]!;
  assert.deepEqual(unrelated.expected, [ISS, 'https://b'], 'several issuers stay a list');
  assert.deepEqual(unrelated.detail, {});
  // A non-string iss is still a mismatch (the decoder reports its type), never a crash.
  assert.deepEqual(codes(checkIssuer({ iss: 42 }, { issuer: [ISS] })), ['issuer_mismatch']);
});

test('checkAudience: string or array, any accepted value passes; absent is missing_claim', () => {
  assert.deepEqual(checkAudience({ aud: 'x' }, {}), []);
  assert.deepEqual(checkAudience({ aud: 'api' }, { audience: ['api'] }), []);
  assert.deepEqual(checkAudience({ aud: ['other', 'api'] }, { audience: ['api'] }), []);
  const m = checkAudience({}, { audience: ['api', 'web'] })[0]!;
  assert.equal(m.code, 'missing_claim');
  assert.deepEqual([m.claim, m.expected, m.actual], ['aud', ['api', 'web'], null]);
});

test('checkAudience: audience_mismatch near misses (delimited string, client id either way, case or slash, other environment)', () => {
  const detail = (payload: Record<string, unknown>, audience: string[], ctx: ClaimContext = {}) => {
    const [f, ...rest] = checkAudience(payload, { audience }, ctx);
    assert.equal(rest.length, 0);
    assert.equal(f!.code, 'audience_mismatch');
    assert.equal(f!.claim, 'aud');
    assert.deepEqual(f!.actual, payload.aud);
    return f!.detail;
  };
  assert.deepEqual(detail({ aud: 'api web' }, ['api']), { nearMiss: 'delimited_string' });
  assert.deepEqual(detail({ aud: 'api,web' }, ['web']), { nearMiss: 'delimited_string' });
  assert.deepEqual(detail({ aud: 'spa-client', azp: 'spa-client' }, ['api']), { nearMiss: 'client_id' });
  assert.deepEqual(detail({ aud: ['spa-client'], client_id: 'spa-client' }, ['api']), { nearMiss: 'client_id' });
  assert.deepEqual(detail({ aud: 'api', azp: 'spa-client' }, ['spa-client']), { nearMiss: 'expected_client_id' });
  assert.deepEqual(detail({ aud: 'API' }, ['api']), { nearMiss: 'case_or_slash' });
  assert.deepEqual(detail({ aud: 'https://api/' }, ['https://api']), { nearMiss: 'case_or_slash' });
  assert.deepEqual(detail({ aud: 'web-staging' }, ['web-prod'], OTHERS), { audienceOfEnvironments: ['staging'] });
  assert.deepEqual(detail({ aud: 'unrelated' }, ['api']), {});
});

test('normalizeTyp and checkTyp: case-insensitive, optional application/ prefix; at+jwt vs JWT is named', () => {
  assert.equal(normalizeTyp('Application/AT+JWT'), 'at+jwt');
  assert.equal(normalizeTyp('JWT'), 'jwt');
  assert.deepEqual(checkTyp({ typ: 'anything' }, {}), []);
  assert.deepEqual(checkTyp({ typ: 'application/jwt' }, { typ: 'JWT' }), []);
  const swapped = checkTyp({ typ: 'JWT' }, { typ: 'at+jwt' })[0]!;
  assert.equal(swapped.code, 'typ_mismatch');
  assert.deepEqual(
    [swapped.claim, swapped.expected, swapped.actual, swapped.detail],
    ['header.typ', 'at+jwt', 'JWT', { nearMiss: 'at+jwt_vs_jwt' }],
  );
  const absent = checkTyp({}, { typ: 'JWT' })[0]!;
  assert.deepEqual([absent.code, absent.actual, absent.detail], ['typ_mismatch', null, {}]);
  assert.deepEqual(checkTyp({ typ: 'dpop+jwt' }, { typ: 'JWT' })[0]!.detail, {});
});

test('checkRequiredClaims: absent or null is missing_claim, one finding per claim in order', () => {
  assert.deepEqual(checkRequiredClaims({}, {}), []);
  const fs = checkRequiredClaims({ sub: 'a', jti: null, scope: '' }, { requiredClaims: ['sub', 'exp', 'jti', 'scope'] });
  assert.deepEqual(codes(fs), ['missing_claim', 'missing_claim']);
  assert.deepEqual(
    fs.map((f) => [f.claim, f.actual]),
    [
      ['exp', null],
      ['jti', null],
    ],
  );
});

test('matchClaim: literals, equals (deep), oneOf, includes over space-delimited strings and arrays', () => {
  assert.equal(matchClaim('a', 'a'), true);
  assert.equal(matchClaim(1, '1'), false);
  assert.equal(matchClaim(true, true), true);
  assert.equal(matchClaim({ a: [1] }, { equals: { a: [1] } }), true);
  assert.equal(matchClaim({ a: [2] }, { equals: { a: [1] } }), false);
  assert.equal(matchClaim('b', { oneOf: ['a', 'b'] }), true);
  assert.equal(matchClaim('c', { oneOf: ['a', 'b'] }), false);
  assert.equal(matchClaim('read write', { includes: ['write', 'read'] }), true);
  assert.equal(matchClaim(['read'], { includes: 'read' }), true);
  assert.equal(matchClaim('read', { includes: ['read', 'write'] }), false);
  assert.equal(matchClaim(undefined, { includes: 'read' }), false);
  assert.equal(matchClaim(null, { includes: [] }), true);
});

test('checkExpectedClaims: missing_claim when absent, claim_mismatch with what is missing from includes', () => {
  assert.deepEqual(checkExpectedClaims({}, {}), []);
  const fs = checkExpectedClaims(
    { azp: 'web', scope: 'orders:read', tenant: 't2' },
    { claims: { azp: 'web', scope: { includes: ['orders:read', 'orders:write'] }, tenant: { oneOf: ['t1'] }, org: 'acme' } },
  );
  assert.deepEqual(codes(fs), ['claim_mismatch', 'claim_mismatch', 'missing_claim']);
  const [scope, tenant, org] = fs;
  assert.deepEqual([scope!.claim, scope!.actual, scope!.detail], ['scope', 'orders:read', { missing: ['orders:write'] }]);
  assert.deepEqual([tenant!.claim, tenant!.expected, tenant!.actual, tenant!.detail], ['tenant', { oneOf: ['t1'] }, 't2', {}]);
  assert.deepEqual([org!.claim, org!.expected, org!.actual], ['org', 'acme', null]);
});
