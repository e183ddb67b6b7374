/**
 * The causes registry (issue 11): every cause of the issue, each with an
 * owner, a fix and the registered codes it explains; makeCause takes the
 * registry's owner and hint unless a probe overrides them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORENSIC_CAUSES, FORENSIC_CAUSE_NAMES, makeCause } from '../../src/forensics/causes.ts';
import { isReasonCode } from '../../src/reasons.ts';

const ISSUE_CAUSES = [
  'ecdsa_der_encoding',
  'ecdsa_wrong_length',
  'signature_truncated',
  'rsa_padding_mismatch',
  'hash_mismatch',
  'secret_trailing_whitespace',
  'secret_double_encoded',
  'secret_encoding',
  'key_use_excluded',
  'token_reencoded',
  'key_from_other_environment',
];
const OWNERS = new Set(['signer', 'verifier', 'secrets', 'gateway', 'client']);

test('every cause of issue 11 is registered with an owner, a title, a fix and the codes it explains', () => {
  assert.deepEqual([...FORENSIC_CAUSE_NAMES].sort(), [...ISSUE_CAUSES].sort());
  for (const name of FORENSIC_CAUSE_NAMES) {
    const c = FORENSIC_CAUSES[name];
    assert.ok(OWNERS.has(c.owner), name);
    assert.ok(c.title.length > 10 && c.hint.length > 10, name);
    assert.ok(c.explains.length > 0 && c.explains.every(isReasonCode), name);
  }
  assert.deepEqual(FORENSIC_CAUSES.token_reencoded.explains, ['malformed_token']);
});

test('makeCause: the registry owner and hint, or the probe overrides', () => {
  const c = makeCause('ecdsa_der_encoding', true, { derBytes: 71 });
  assert.deepEqual(c, {
    cause: 'ecdsa_der_encoding',
    owner: 'signer',
    hint: FORENSIC_CAUSES.ecdsa_der_encoding.hint,
    verifies: true,
    evidence: { derBytes: 71 },
  });
  const o = makeCause('token_reencoded', false, {}, { owner: 'client', hint: 'h' });
  assert.deepEqual([o.owner, o.hint], ['client', 'h']);
});
