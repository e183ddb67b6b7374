/**
 * token_reencoded (issue 11): a jose token re-encoded the ways a proxy or
 * client does it (Buffer's standard base64 with padding, encodeURIComponent),
 * and a signer that signs standard base64 text itself. Strict decoding
 * still refuses every one (malformed_token); the cause says what changed,
 * whether the canonical form verifies, and who fixes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import type { Diagnosis } from '../../src/diagnose.ts';
import { canonicalizeToken } from '../../src/forensics/reencoded.ts';

const NOW = 1_800_000_000;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = (k: KeyObject, kid: string) => ({ ...(k.export({ format: 'jwk' }) as Record<string, unknown>), kid });
const KEYS = [jwk(rsa.publicKey, 'rsa-1'), jwk(ec.publicKey, 'ec-1')];
// Claims whose JSON is not a multiple of 3 bytes, so standard base64 pads the payload too.
const CLAIMS = { sub: 'user-1', iat: NOW - 60, exp: NOW + 3600, name: 'Zoë ~~~ ??? >>>' };

/** Each segment decoded and encoded again as Buffer's standard base64 (with + / and = padding). */
const toStandardBase64 = (token: string) =>
  token
    .split('.')
    .map((s) => Buffer.from(s, 'base64url').toString('base64'))
    .join('.');

async function diagnose(token: string): Promise<Diagnosis> {
  return (await createDiagnoser({ keys: [{ jwk: { keys: KEYS } }] })).diagnose(token, { now: NOW });
}

function cause(d: Diagnosis) {
  const f = d.findings.find((x) => x.code === 'malformed_token' && x.detail?.cause);
  assert.ok(f, JSON.stringify(d.findings));
  return { f, evidence: f.detail!.evidence as Record<string, unknown> };
}

async function joseToken(alg: 'RS256' | 'ES256'): Promise<string> {
  // Loop until the signature has a + or / in standard base64 (almost always at once).
  for (;;) {
    const t = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg, kid: alg === 'RS256' ? 'rsa-1' : 'ec-1' })
      .sign(alg === 'RS256' ? rsa.privateKey : ec.privateKey);
    if (/[+/]/.test(toStandardBase64(t))) return t;
  }
}

test('standard base64 with padding (a gateway re-encoding the token): malformed_token, canonical form verifies, owner gateway', async () => {
  for (const alg of ['RS256', 'ES256'] as const) {
    const token = toStandardBase64(await joseToken(alg));
    const d = await diagnose(token);
    assert.equal(d.result, 'malformed_token', alg);
    const { f, evidence } = cause(d);
    assert.equal(f.detail!.cause, 'token_reencoded');
    assert.equal(f.owner, 'gateway');
    assert.equal(evidence.verifies, true);
    assert.deepEqual(evidence.changes, ['standard_base64_alphabet', 'padding']);
    assert.ok((evidence.segments as string[]).includes('signature'));
  }
});

test('percent-encoded by a client (encodeURIComponent of the re-encoded token): owner client, every change named', async () => {
  const token = encodeURIComponent(toStandardBase64(await joseToken('RS256')));
  assert.match(token, /%2[BF]|%3D/);
  const d = await diagnose(token);
  assert.equal(d.result, 'malformed_token');
  const { f, evidence } = cause(d);
  assert.equal(f.detail!.cause, 'token_reencoded');
  assert.equal(f.owner, 'client');
  assert.deepEqual(evidence.changes, ['percent_encoding', 'standard_base64_alphabet', 'padding']);
  assert.equal(evidence.verifies, true);
});

test('a signer that signs standard base64 text itself: the token as sent verifies, owner signer', async () => {
  const std = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64');
  const input = `${std({ alg: 'RS256', kid: 'rsa-1' })}.${std(CLAIMS)}`;
  const token = `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64')}`;
  const { f, evidence } = cause(await diagnose(token));
  assert.equal(f.detail!.cause, 'token_reencoded');
  assert.equal(f.owner, 'signer');
  assert.equal(evidence.signedAs, 'sent');
});

test('re-encoded with the wrong key: the re-encoding is named, verifies false; strict decoding never accepts it', async () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const t = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(other.privateKey);
  const d = await diagnose(toStandardBase64(t));
  assert.equal(d.result, 'malformed_token');
  assert.equal(d.signature.status, 'skipped');
  const { f, evidence } = cause(d);
  assert.equal(f.detail!.cause, 'token_reencoded');
  assert.equal(evidence.verifies, false);
});

test('canonicalizeToken: nothing to undo is undefined; padding only at segment ends', () => {
  assert.equal(canonicalizeToken('eyJhIjoxfQ.eyJiIjoyfQ.c2ln'), undefined);
  assert.deepEqual(canonicalizeToken('eyJhIjoxfQ==.eyJiIjoyfQ.c2ln'), {
    token: 'eyJhIjoxfQ.eyJiIjoyfQ.c2ln',
    changes: ['padding'],
    segments: ['header'],
  });
  assert.equal(canonicalizeToken('a.b'), undefined);
  assert.equal(canonicalizeToken('%E0%A4%A.b.c'), undefined);
});
