/**
 * Signature forensics through the real CLI (`diagnose --format json`): the
 * cause, its owner and evidence on the finding, exit 1, no secret printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { runCli, hasStackTrace } from '../helpers/cli.ts';

const NOW_ISO = '2026-11-28T12:05:00Z';
const NOW = Date.parse(NOW_ISO) / 1000;
const CLAIMS = { sub: 'user-1', iat: NOW - 60, exp: NOW + 3600 };
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-forensics-'));
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
writeFileSync(
  join(dir, 'set.jwks.json'),
  JSON.stringify({
    keys: [
      { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' },
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' },
    ],
  }),
);
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Out {
  result: string;
  findings: { code: string; owner?: string; detail?: Record<string, unknown> }[];
}

async function diagnoseJson(token: string, keyArgs: string[]): Promise<Out> {
  const r = await runCli(['diagnose', token, ...keyArgs, '--now', NOW_ISO, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  return JSON.parse(r.stdout) as Out;
}

test('diagnose --format json: a DER ES256 token names ecdsa_der_encoding, owner signer', async () => {
  const input = `${b64({ alg: 'ES256', kid: 'ec-1' })}.${b64(CLAIMS)}`;
  const token = `${input}.${sign('sha256', Buffer.from(input), ec.privateKey).toString('base64url')}`;
  const out = await diagnoseJson(token, ['--key', join(dir, 'set.jwks.json')]);
  assert.equal(out.result, 'signature_invalid');
  const f = out.findings.find((x) => x.code === 'signature_invalid')!;
  assert.deepEqual(
    [f.detail!.cause, f.owner, (f.detail!.evidence as Record<string, unknown>).verifies],
    ['ecdsa_der_encoding', 'signer', true],
  );
});

test('diagnose --format json: a URL-escaped standard-base64 token is malformed_token with token_reencoded, owner client', async () => {
  const jose = await new SignJWT({ ...CLAIMS, note: '>>>???' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const token = encodeURIComponent(
    jose
      .split('.')
      .map((s) => Buffer.from(s, 'base64url').toString('base64'))
      .join('.'),
  );
  const out = await diagnoseJson(token, ['--key', join(dir, 'set.jwks.json')]);
  assert.equal(out.result, 'malformed_token');
  const f = out.findings.find((x) => x.detail?.cause === 'token_reencoded')!;
  assert.equal(f.code, 'malformed_token');
  assert.equal(f.owner, 'client');
});

test('diagnose --format json: HS256 header over HMAC-SHA512 is hash_mismatch, and the secret is not printed', async () => {
  const secret = randomBytes(64).toString('hex');
  const input = `${b64({ alg: 'HS256' })}.${b64(CLAIMS)}`;
  const token = `${input}.${createHmac('sha512', secret).update(input).digest('base64url')}`;
  const r = await runCli(['diagnose', token, '--secret', 'env:FORENSICS_SECRET', '--now', NOW_ISO, '--format', 'json'], {
    env: { FORENSICS_SECRET: secret },
  });
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as Out;
  const f = out.findings.find((x) => x.code === 'signature_invalid')!;
  assert.deepEqual([f.detail!.cause, (f.detail!.evidence as Record<string, unknown>).verifiesAs], ['hash_mismatch', 'HS512']);
  assert.equal(r.stdout.includes(secret), false);
  assert.equal(r.stderr.includes(secret), false);
});
