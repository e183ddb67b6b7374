/**
 * The one ranker (src/reasons.ts rankResult), read the two ways the product
 * needs: the diagnosis result (claim failures collapse to claim_mismatch)
 * and the middleware's rejection reason (claim failures keep their code, a
 * key source's failure does not reject a token another key verified).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFinding, mostFundamental, rankResult, type ReasonCode } from '../src/reasons.ts';
import { isKeySourceFinding } from '../src/keys/trust.ts';

const f = (c: ReasonCode) => makeFinding(c);
const MIDDLEWARE = { specificClaims: true, isKeySource: isKeySourceFinding } as const;

test('specificClaims keeps the claim code; the order is the same', () => {
  assert.equal(rankResult([f('audience_mismatch'), f('issuer_mismatch')]), 'claim_mismatch');
  assert.equal(rankResult([f('audience_mismatch'), f('issuer_mismatch')], MIDDLEWARE), 'audience_mismatch');
  assert.equal(rankResult([f('issuer_mismatch'), f('token_expired')], MIDDLEWARE), 'token_expired');
  assert.equal(rankResult([f('signature_invalid'), f('key_not_found')], MIDDLEWARE), 'key_not_found');
  assert.equal(rankResult([], MIDDLEWARE), 'valid');
});

test('a key source failure explains key_not_found of the same rank better', () => {
  assert.equal(rankResult([f('key_not_found'), f('jwks_unreachable')]), 'key_not_found');
  assert.equal(rankResult([f('key_not_found'), f('jwks_unreachable')], MIDDLEWARE), 'jwks_unreachable');
  // Not the other way round: the first of a rank stays otherwise.
  assert.equal(rankResult([f('jwks_unreachable'), f('key_not_found')], MIDDLEWARE), 'jwks_unreachable');
});

test('once the signature verified, a key source failure no longer decides', () => {
  const findings = [f('jwks_unreachable'), makeFinding('private_key_published', { detail: { excluded: true } }), f('issuer_mismatch')];
  assert.equal(rankResult(findings, MIDDLEWARE), 'jwks_unreachable');
  assert.equal(rankResult(findings, { ...MIDDLEWARE, signatureVerified: true }), 'issuer_mismatch');
  assert.equal(mostFundamental([f('jwks_unreachable')], { ...MIDDLEWARE, signatureVerified: true }), undefined);
});
