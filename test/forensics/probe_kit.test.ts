/**
 * What the probes share: which keys a probe may try (kid rule, use and
 * key_ops exclusions), the spending verification, identities only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { importJwk, importSecretText } from '../../src/keys/import.ts';
import { keyIdentity, keysForHeader, spend } from '../../src/forensics/probe_kit.ts';

const ecJwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
const a = importJwk({ ...ecJwk(), kid: 'a' }, { kind: 'jwk' });
const b = importJwk({ ...ecJwk(), kid: 'b' }, { kind: 'jwk' });
const kidless = importJwk(ecJwk(), { kind: 'jwk' });
const enc = importJwk({ ...ecJwk(), kid: 'a', use: 'enc' }, { kind: 'jwk' });
const noVerify = importJwk({ ...ecJwk(), kid: 'a', key_ops: ['sign'] }, { kind: 'jwk' });
const secret = importSecretText('0123456789abcdef0123456789abcdef', 'utf8', { kind: 'secret' }, { kid: 'a' });
const all = [a, b, kidless, enc, noVerify, secret];

test('keysForHeader: the kid selects, else the kid-less keys; other types and use/key_ops exclusions never', () => {
  assert.deepEqual(keysForHeader({ kid: 'a' }, all, 'EC'), [a]);
  assert.deepEqual(keysForHeader({ kid: 'zz' }, all, 'EC'), [kidless]);
  assert.deepEqual(keysForHeader({}, all, 'EC'), [a, b, kidless]);
  assert.deepEqual(keysForHeader({ kid: 'a' }, all, 'oct'), [secret]);
});

test('spend: one unit per verification, nothing once the budget is gone, a throw is false', () => {
  const budget = { remaining: 2 };
  let ran = 0;
  assert.equal(
    spend(budget, () => (ran++, true)),
    true,
  );
  assert.equal(
    spend(budget, () => {
      ran++;
      throw new Error('bad key');
    }),
    false,
  );
  assert.equal(
    spend(budget, () => (ran++, true)),
    false,
  );
  assert.deepEqual([ran, budget.remaining], [2, 0]);
});

test('keyIdentity: kid, thumbprint or fingerprint, never material', () => {
  const id = keyIdentity(a);
  assert.deepEqual(Object.keys(id).sort(), ['crv', 'kid', 'thumbprint']);
  const s = keyIdentity(secret);
  assert.match(String(s.fingerprint), /^fp:[0-9a-f]{12}$/);
  assert.equal(JSON.stringify(s).includes('0123456789abcdef'), false);
});
