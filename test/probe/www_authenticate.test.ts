import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapRejection, parseWwwAuthenticate } from '../../src/probe/www_authenticate.ts';

test('parses RFC 6750 section 3 challenges: realm, error, error_description, scope', () => {
  const c = parseWwwAuthenticate(
    'Bearer realm="example", error="invalid_token", error_description="The access token expired", scope="read write"',
  );
  assert.equal(c.length, 1);
  assert.equal(c[0]!.scheme, 'Bearer');
  assert.deepEqual(c[0]!.params, {
    realm: 'example',
    error: 'invalid_token',
    error_description: 'The access token expired',
    scope: 'read write',
  });
});

test('several challenges in one value and across values; token68; escaped quotes and commas in quoted strings', () => {
  const c = parseWwwAuthenticate([
    'Basic realm="a, b", Bearer error="invalid_request", error_description="say \\"hi\\""',
    'Negotiate abc==',
  ]);
  assert.deepEqual(
    c.map((x) => x.scheme),
    ['Basic', 'Bearer', 'Negotiate'],
  );
  assert.equal(c[0]!.params.realm, 'a, b');
  assert.equal(c[1]!.params.error_description, 'say "hi"');
  assert.equal(c[2]!.token68, 'abc==');
  assert.deepEqual(parseWwwAuthenticate(undefined), []);
  assert.deepEqual(parseWwwAuthenticate(',,, ="x"'), []);
});

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
