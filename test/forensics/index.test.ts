/**
 * The forensics framework (issue 11): the fixed probe order and the
 * budget, causes placed on the finding they explain without changing its
 * code or the verdict, the middleware's opt-in, and no secret or key in
 * any output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { importJwk } from '../../src/keys/import.ts';
import { decodeToken } from '../../src/token/decode.ts';
import { getAlgorithm } from '../../src/keys/algorithms.ts';
import { makeFinding } from '../../src/reasons.ts';
import { MAX_FORENSIC_VERIFICATIONS, MAX_FORENSIC_VERIFICATIONS_PER_PROBE } from '../../src/defaults.ts';
import {
  applyCauses,
  FORENSIC_CAUSE_NAMES,
  makeCause,
  PROBES,
  runForensics,
  type ForensicProbe,
  type ForensicsInput,
} from '../../src/forensics/index.ts';
import { spend } from '../../src/forensics/probe_kit.ts';
import { createVerifier } from '../../src/middleware/index.ts';

const NOW = 1_800_000_000;
const CLAIMS = { sub: 'user-1', iat: NOW - 60, exp: NOW + 3600 };
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwk = (k: KeyObject, kid?: string): Record<string, unknown> => ({
  ...(k.export({ format: 'jwk' }) as Record<string, unknown>),
  ...(kid !== undefined ? { kid } : {}),
});
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** An ES256 token whose signature is DER (crypto.sign without dsaEncoding). */
function derToken(privateKey: KeyObject, header: Record<string, unknown> = { alg: 'ES256', kid: 'ec-1' }): string {
  const input = `${b64(header)}.${b64(CLAIMS)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function inputFor(token: string, keys: Record<string, unknown>[], remaining = MAX_FORENSIC_VERIFICATIONS): ForensicsInput {
  const r = decodeToken(token);
  assert.ok(r.ok);
  const trusted = keys.map((k) => importJwk(k, { kind: 'jwk' }));
  return { token: r.token, header: r.token.header, alg: getAlgorithm(r.token.header.alg), trusted, others: [], budget: { remaining } };
}

test('every probe gets at most its share; the token at most MAX_FORENSIC_VERIFICATIONS in all', () => {
  const calls: number[] = [];
  const greedy =
    (i: number): ForensicProbe =>
    (input) => {
      calls[i] = 0;
      // Ask for far more than any share: spend() refuses once the share is gone.
      for (let n = 0; n < 100; n++) spend(input.budget, () => (calls[i]!++, false));
      return [];
    };
  const input = inputFor(derToken(p256.privateKey), []);
  runForensics(input, [0, 1, 2, 3, 4].map(greedy));
  assert.equal(
    calls.reduce((a, b) => a + b, 0),
    MAX_FORENSIC_VERIFICATIONS,
  );
  assert.ok(
    calls.every((n) => n <= MAX_FORENSIC_VERIFICATIONS_PER_PROBE),
    String(calls),
  );
  assert.equal(input.budget.remaining, 0);
});

test('a DER token against 20 kid-less keys, none its own: the DER probe stops at its share', () => {
  const keys = Array.from({ length: 20 }, () => jwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey));
  const input = inputFor(derToken(p256.privateKey, { alg: 'ES256' }), keys);
  const causes = runForensics(input);
  assert.deepEqual(
    causes.map((c) => [c.cause, c.verifies]),
    [['ecdsa_der_encoding', false]],
  );
  assert.equal(input.budget.remaining, MAX_FORENSIC_VERIFICATIONS - MAX_FORENSIC_VERIFICATIONS_PER_PROBE);
});

test('a cut RSA signature costs no verification: no other reading of a short signature can verify', async () => {
  const jose = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const input = inputFor(jose.slice(0, -22), [jwk(rsa.publicKey, 'rsa-1')]);
  assert.deepEqual(
    runForensics(input).map((c) => c.cause),
    ['signature_truncated'],
  );
  assert.equal(input.budget.remaining, MAX_FORENSIC_VERIFICATIONS);
});

test('probes run in order and stop after the first cause that verifies', () => {
  const ran: string[] = [];
  const probe =
    (name: string, verifies: boolean | undefined): ForensicProbe =>
    () => {
      ran.push(name);
      return verifies === undefined ? [] : [makeCause('hash_mismatch', verifies, { name })];
    };
  const causes = runForensics(inputFor(derToken(p256.privateKey), []), [
    probe('a', undefined),
    probe('b', false),
    probe('c', true),
    probe('d', true),
  ]);
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.deepEqual(
    causes.map((c) => c.evidence.name),
    ['b', 'c'],
  );
});

test('applyCauses: a new finding on the code the cause explains, same code and severity, owner and hint of the cause', () => {
  const shared = makeFinding('signature_invalid', { claim: 'signature', detail: { alg: 'ES256' } });
  const findings = [makeFinding('token_expired'), shared];
  assert.equal(
    applyCauses(findings, [
      makeCause('signature_truncated', false, { shortBy: 3 }),
      makeCause('ecdsa_der_encoding', true, { derBytes: 71 }),
    ]),
    true,
  );
  const f = findings[1]!;
  assert.notEqual(f, shared, 'plans share findings between tokens: never mutated');
  assert.equal(shared.detail!.cause, undefined);
  assert.deepEqual([f.code, f.severity, f.owner, f.claim], ['signature_invalid', 'error', 'signer', 'signature']);
  assert.equal(f.detail!.cause, 'ecdsa_der_encoding');
  assert.deepEqual(f.detail!.evidence, { derBytes: 71, verifies: true });
  assert.deepEqual(f.detail!.causes, [
    { cause: 'signature_truncated', verifies: false },
    { cause: 'ecdsa_der_encoding', verifies: true },
  ]);
  assert.equal(applyCauses([makeFinding('token_expired')], [makeCause('ecdsa_der_encoding', true, {})]), false);
});

test('a probe that verifies never makes a token valid: DER, padding, hash, truncation, re-encoding all stay failures', async () => {
  const d = await createDiagnoser({ keys: [{ jwk: { keys: [jwk(p256.publicKey, 'ec-1'), jwk(rsa.publicKey, 'rsa-1')] } }] });
  const jose = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const rsInput = `${b64({ alg: 'RS256', kid: 'rsa-1' })}.${b64(CLAIMS)}`;
  const tokens = [
    derToken(p256.privateKey),
    `${rsInput}.${sign('sha512', Buffer.from(rsInput), rsa.privateKey).toString('base64url')}`,
    jose.slice(0, -22),
    jose
      .split('.')
      .map((s) => Buffer.from(s, 'base64url').toString('base64'))
      .join('.'),
  ];
  for (const token of tokens) {
    const r = d.diagnose(token, { now: NOW });
    assert.notEqual(r.result, 'valid');
    assert.notEqual(r.signature.status, 'pass');
    assert.ok(
      r.findings.some((f) => f.detail?.cause !== undefined),
      JSON.stringify(r.findings),
    );
  }
  // Even a probe claiming the signature verifies changes nothing but the detail.
  const liar: ForensicProbe = () => [makeCause('hash_mismatch', true, {})];
  const input = inputFor(derToken(p256.privateKey), [jwk(p256.publicKey, 'ec-1')]);
  assert.equal(runForensics(input, [liar])[0]!.verifies, true);
  assert.equal(d.diagnose(derToken(p256.privateKey), { now: NOW }).result, 'signature_invalid');
});

test('a valid token gets no cause; forensics: false turns the probes off', async () => {
  const keys = [importJwk(jwk(rsa.publicKey, 'rsa-1'), { kind: 'jwk' })];
  const ok = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const on = buildDiagnoser({}, { keys });
  assert.equal(on.diagnose(ok, { now: NOW }).result, 'valid');
  const pss = `${b64({ alg: 'RS256', kid: 'rsa-1' })}.${b64(CLAIMS)}`;
  const bad = `${pss}.${sign('sha512', Buffer.from(pss), rsa.privateKey).toString('base64url')}`;
  assert.equal(on.diagnose(bad, { now: NOW }).findings.find((f) => f.code === 'signature_invalid')!.detail!.cause, 'hash_mismatch');
  const off = buildDiagnoser({}, { keys }, { forensics: false });
  const f = off.diagnose(bad, { now: NOW }).findings.find((x) => x.code === 'signature_invalid')!;
  assert.equal(f.detail!.cause, undefined);
  assert.equal(f.owner, 'secrets');
});

test('middleware: no forensics on the request path by default; forensics: true logs the cause, still 401', async () => {
  const env = { name: 'staging', keys: [{ jwk: jwk(p256.publicKey, 'ec-1') }] };
  const headers = { authorization: `Bearer ${derToken(p256.privateKey)}` };
  for (const forensics of [undefined, true]) {
    const records: Record<string, unknown>[] = [];
    const logger = { warn: (o: object) => records.push({ ...o }), info: (o: object) => records.push({ ...o }) };
    const v = createVerifier(env, { registry: false, logger, now: () => NOW, ...(forensics ? { forensics } : {}) });
    try {
      const out = await v.verify({ headers });
      assert.equal(out.ok, false);
      assert.equal(out.ok ? 0 : out.status, 401);
      const rejected = records.find((r) => r.event === 'jwt_auth_rejected')!;
      assert.equal(rejected.reason, 'signature_invalid');
      assert.equal(rejected.cause, forensics ? 'ecdsa_der_encoding' : undefined);
    } finally {
      await v.close();
    }
  }
});

test('no output carries the secret or the key: only kid, thumbprint, fingerprint', async () => {
  const secret = randomBytes(64);
  const hsInput = `${b64({ alg: 'HS256' })}.${b64(CLAIMS)}`;
  const hs = `${hsInput}.${createHmac('sha512', secret).update(hsInput).digest('base64url')}`;
  const hsd = await createDiagnoser({ keys: [{ secret: { value: secret.toString('base64'), encoding: 'base64' } }] });
  const rsd = await createDiagnoser({ keys: [{ jwk: jwk(rsa.publicKey, 'rsa-1') }] });
  const jose = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const outputs = [
    hsd.diagnose(hs, { now: NOW }),
    hsd.diagnose(hs.slice(0, -30), { now: NOW }),
    rsd.diagnose(jose.slice(0, -21), { now: NOW }),
  ];
  assert.equal(outputs[0]!.findings.find((f) => f.code === 'signature_invalid')!.detail!.cause, 'hash_mismatch');
  const text = JSON.stringify(outputs);
  const pub = jwk(rsa.publicKey);
  for (const material of [
    secret.toString('base64'),
    secret.toString('base64url'),
    secret.toString('hex'),
    secret.toString('latin1'),
    String(pub.n),
    rsa.privateKey.export({ format: 'jwk' }).d as string,
  ]) {
    assert.equal(text.includes(material), false);
  }
  assert.match(text, /"fingerprint":"fp:[0-9a-f]{12}"/);
});

test('docs: every cause is in the causes table with its owner; the budget is in docs/limits.md', () => {
  const doc = readFileSync(new URL('../../docs/reason-codes.md', import.meta.url), 'utf8');
  assert.equal(FORENSIC_CAUSE_NAMES.length, 11);
  for (const name of FORENSIC_CAUSE_NAMES) assert.match(doc, new RegExp(`^\\| \`${name}\` \\| [a-z]+ \\|`, 'm'), name);
  const limits = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');
  const row = limits.split('\n').find((l) => l.startsWith('| Forensic verifications per token |'));
  assert.equal(Number(/\d+/.exec(row?.split('|')[2] ?? '')?.[0]), MAX_FORENSIC_VERIFICATIONS);
  assert.ok(PROBES.length >= 4);
});

test('middleware with forensics: true also names secret readings and excluded keys (the secret and key probes)', async () => {
  const records: Record<string, unknown>[] = [];
  const logger = { warn: (o: object) => records.push({ ...o }), info: (o: object) => records.push({ ...o }) };
  // A secret stored with a trailing newline (echo without -n), read trimmed by this verifier; the signer used the raw bytes.
  const stored = 'middleware-forensics-secret-0123456789\n';
  const hsInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(CLAIMS)}`;
  const hs = `${hsInput}.${createHmac('sha256', stored).update(hsInput).digest('base64url')}`;
  // A key with the token's kid published for encryption only.
  const rsInput = `${b64({ alg: 'RS256', kid: 'enc-1' })}.${b64(CLAIMS)}`;
  const rs = `${rsInput}.${sign('sha256', Buffer.from(rsInput), rsa.privateKey).toString('base64url')}`;
  const env = {
    name: 'staging',
    keys: [{ secret: { value: stored, encoding: 'utf8' as const, trim: true } }, { jwk: { ...jwk(rsa.publicKey, 'enc-1'), use: 'enc' } }],
  };
  const v = createVerifier(env, { registry: false, logger, now: () => NOW, forensics: true });
  try {
    for (const [token, cause] of [
      [hs, 'secret_trailing_whitespace'],
      [rs, 'key_use_excluded'],
    ] as const) {
      const out = await v.verify({ headers: { authorization: `Bearer ${token}` } });
      assert.equal(out.ok, false, cause);
      assert.equal(records.at(-1)!.cause, cause);
    }
    assert.ok(!JSON.stringify(records).includes('middleware-forensics-secret'));
  } finally {
    v.close();
  }
});
