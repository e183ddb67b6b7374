/** probe's reading of a rejection: the Bearer challenge, then the shared translation table (src/explain). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapRejection, parseWwwAuthenticate } from '../../src/probe/www_authenticate.ts';

test('maps the rejection: our code in error_description wins, then RFC 6750 error, then known verifier messages', () => {
  const p = (v: string, body = '') => mapRejection(parseWwwAuthenticate(v), body);
  assert.equal(p('Bearer error="invalid_token", error_description="audience_mismatch"').code, 'audience_mismatch');
  assert.equal(p('Bearer error="invalid_token", error_description="audience_mismatch"').source, 'error_description');
  assert.equal(p('Bearer error="invalid_token"').code, 'token_rejected');
  assert.equal(p('Bearer error="invalid_request"').code, 'header_malformed');
  assert.equal(p('Bearer error="insufficient_scope", scope="orders:write"').code, 'insufficient_scope');
  assert.equal(p('Bearer error="insufficient_scope", scope="orders:write"').scope, 'orders:write');
  // RFC 6750 section 3.1: no error code when the request had no credentials.
  assert.equal(p('Bearer realm="api"').code, 'header_missing');
  assert.equal(p('Bearer realm="api"').source, 'no_error_code');
  assert.equal(p('Bearer error="invalid_token", error_description="jwt expired"').code, 'token_expired');
  assert.equal(p('Basic realm="x"', '{"message":"jwt audience invalid. expected: web"}').code, 'audience_mismatch');
  assert.equal(p('Basic realm="x"').code, undefined);
});

test('the rejection is read through the one translation table: other verifiers in error_description and in the body', () => {
  const p = (v: string, body = '') => mapRejection(parseWwwAuthenticate(v), body);
  const spring = p(
    'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Jwt expired at 2026-11-28T12:00:00Z"',
  );
  assert.deepEqual([spring.code, spring.source, spring.verifier], ['token_expired', 'known_verifier', 'Spring Security']);
  const envoy = p(
    'Bearer realm="https://api.example.com/v1/me", error="invalid_token"',
    "Jwks doesn't have key to match kid or alg from Jwt",
  );
  // The challenge's bare RFC 6750 error decides before the body (as before): token_rejected.
  assert.equal(envoy.code, 'token_rejected');
  const kong = p('', '{"message":"No credentials found for given \'iss\'"}');
  assert.deepEqual([kong.code, kong.verifier], ['key_not_found', 'Kong jwt plugin']);
  assert.equal(p('', 'Jwt issuer is not configured').code, 'issuer_mismatch');
  assert.equal(p('', '<html>502 Bad Gateway</html>').code, undefined);
});
