/** The RFC 9110 / RFC 6750 challenge parser, shared by explain, probe and drill. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWwwAuthenticate } from '../../src/explain/www_authenticate.ts';

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

test('probe keeps exporting the same parser (its public API)', async () => {
  const probe = await import('../../src/probe/index.ts');
  assert.equal(probe.parseWwwAuthenticate, parseWwwAuthenticate);
});
