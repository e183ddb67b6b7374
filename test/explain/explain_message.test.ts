import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMessage } from '../../src/explain/explain_message.ts';
import { REASONS } from '../../src/reasons.ts';

test('an explanation joins the translation with the registry: owner, fix, title, next command', () => {
  const e = explainMessage("jwt_authn_access_denied{Jwks_doesn't_have_key_to_match_kid_or_alg_from_Jwt}");
  assert.ok(e);
  assert.equal(e.code, 'key_not_found');
  assert.equal(e.verifier, 'envoy jwt_authn (Istio)');
  assert.equal(e.owner, REASONS.key_not_found.owner);
  assert.equal(e.fix, REASONS.key_not_found.hint);
  assert.equal(e.title, REASONS.key_not_found.title);
  assert.equal(e.next, 'jwt-doctor rotation check --env ENV');
  assert.equal(e.schema, 'jwt-doctor/explain/v1');
});

test('an unknown message has no explanation', () => {
  assert.equal(explainMessage('everything is fine'), undefined);
});
