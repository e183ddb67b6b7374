/**
 * Secret forensics (issue 11): a secret stored with a trailing newline, a
 * secret base64-encoded twice, a secret read with another encoding, a key
 * of another environment. Tokens are made the way real signers make them,
 * independently of jwt-doctor's signer and of test/helpers/mint.ts: jose's
 * SignJWT (what a Node.js issuer runs) and node:crypto's createHmac over
 * the compact signing input (what a hand-rolled signer does). Secrets reach
 * jwt-doctor the way they reach a verifier: a file written by `echo`, a
 * variable holding a Kubernetes secret, never a literal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { runCli, hasStackTrace, type CliResult } from '../helpers/cli.ts';
import {
  fingerprintSecret,
  importSecretText,
  otherWhitespaceReading,
  secretWhitespace,
  doubleDecodedSecretReadings,
} from '../../src/keys/import.ts';
import { decodeToken } from '../../src/token/decode.ts';
import { getAlgorithm } from '../../src/keys/algorithms.ts';
import { probeSecretDoubleEncoded, probeSecretEncoding, probeSecretWhitespace, CAUSES_SECRET } from '../../src/forensics/secret.ts';
import { applyProbes } from '../../src/forensics/apply_probes.ts';
import type { Finding } from '../../src/reasons.ts';
import type { ForensicsInput } from '../../src/forensics/types.ts';

const NOW = 1_800_000_000;
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-secret-forensics-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** What a Node.js issuer does: jose SignJWT with the secret's bytes. */
function joseHs256(secret: Uint8Array): Promise<string> {
  return new SignJWT({ sub: 'user-1', aud: 'api' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('https://auth.example.com')
    .setIssuedAt(NOW - 60)
    .setExpirationTime(NOW + 600)
    .sign(secret);
}

/** What a hand-rolled signer does: createHmac over base64url(header).base64url(payload). */
function hmacToken(secret: string | Buffer): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'user-1', aud: 'api', iss: 'https://auth.example.com', iat: NOW - 60, exp: NOW + 600 })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

interface JsonDiagnosis {
  result: string;
  findings: Finding[];
  signature: { status: string; fingerprint?: string; source?: Record<string, unknown> };
}

async function diagnoseJson(args: string[], env: Record<string, string> = {}): Promise<{ d: JsonDiagnosis; r: CliResult }> {
  const r = await runCli(['diagnose', ...args, '--now', String(NOW), '--format', 'json'], { env });
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  return { d: JSON.parse(r.stdout) as JsonDiagnosis, r };
}

const find = (d: JsonDiagnosis, code: string) => d.findings.find((f) => f.code === code);

function assertNoSecret(r: CliResult, ...secrets: (string | Buffer)[]): void {
  for (const s of secrets) {
    const forms = typeof s === 'string' ? [s.trim()] : [s.toString('base64'), s.toString('base64url'), s.toString('hex')];
    for (const form of forms) {
      assert.equal(r.stdout.includes(form), false, 'no secret on stdout');
      assert.equal(r.stderr.includes(form), false, 'no secret on stderr');
    }
  }
}

const SECRET = 'shared-hs256-secret-of-the-orders-api-2026';

test('secret_trailing_whitespace: a file written by echo (newline) is read raw; the signer used the trimmed value: signature_invalid says which reading verifies', async () => {
  const file = join(dir, 'echo.secret');
  writeFileSync(file, `${SECRET}\n`); // echo "$SECRET" > file
  const token = await joseHs256(new TextEncoder().encode(SECRET));
  const { d, r } = await diagnoseJson([token, '--secret', `@${file}`]);
  assert.equal(d.result, 'signature_invalid', 'raw is the rule: the newline is part of the key, as fs.readFileSync gives it');
  const f = find(d, 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'secret_trailing_whitespace');
  assert.equal(f.owner, 'secrets');
  const e = f.detail!.evidence as Record<string, unknown>;
  assert.equal(e.configuredReading, 'raw');
  assert.equal(e.verifiesWith, 'trimmed');
  assert.deepEqual(e.trailing, ['LF']);
  assert.deepEqual(e.fingerprints, { raw: fingerprintSecret(Buffer.from(`${SECRET}\n`)), trimmed: fingerprintSecret(Buffer.from(SECRET)) });
  assert.equal(e.location, file);
  assert.equal(d.signature.source!.reading, 'raw', 'the report says which reading the verdict used');
  assertNoSecret(r, SECRET);
});

test('secret_trailing_whitespace with trim: the verdict uses the trimmed reading (valid) and a warning names the fragile value', async () => {
  const file = join(dir, 'echo-trim.secret');
  writeFileSync(file, `${SECRET}\r\n`);
  const token = hmacToken(SECRET);
  const { d, r } = await diagnoseJson([token, '--secret', `@${file}`, '--secret-trim']);
  assert.equal(d.result, 'valid');
  const w = find(d, 'secret_encoding_mismatch')!;
  assert.equal(w.severity, 'warning');
  assert.equal(w.detail!.cause, 'secret_trailing_whitespace');
  assert.equal(w.detail!.verifiesWith, 'trimmed');
  assert.deepEqual((w.detail!.evidence as Record<string, unknown>).trailing, ['CR', 'LF']);
  assert.equal(d.signature.fingerprint, fingerprintSecret(Buffer.from(SECRET)));
  assertNoSecret(r, SECRET);
});

test('secret_trailing_whitespace from a Kubernetes secretKeyRef variable: a signer that signed with the newline verifies raw (warning); a trimming verifier fails with the cause', async () => {
  // kubectl create secret generic jwt --from-file=secret=<(echo "$SECRET"): the variable holds the newline.
  const withNewline = `${SECRET}\n`;
  const token = await joseHs256(new TextEncoder().encode(withNewline));
  const contract = join(dir, 'k8s.yaml');
  writeFileSync(
    contract,
    [
      'version: 1',
      'environments:',
      '  raw:',
      '    keys: [{ secret: { env: K8S_JWT_SECRET } }]',
      '  trims:',
      '    keys: [{ secret: { env: K8S_JWT_SECRET, trim: true } }]',
      '',
    ].join('\n'),
  );
  const env = { K8S_JWT_SECRET: withNewline };
  const raw = await diagnoseJson([token, '--contract', contract, '--env', 'raw'], env);
  assert.equal(raw.d.result, 'valid');
  const w = find(raw.d, 'secret_encoding_mismatch')!;
  assert.equal(w.detail!.cause, 'secret_trailing_whitespace');
  assert.equal(w.detail!.verifiesWith, 'raw');
  const trims = await diagnoseJson([token, '--contract', contract, '--env', 'trims'], env);
  assert.equal(trims.d.result, 'signature_invalid', 'a probe that verifies never makes the token valid');
  const f = find(trims.d, 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'secret_trailing_whitespace');
  assert.equal((f.detail!.evidence as Record<string, unknown>).verifiesWith, 'raw');
  assert.equal((f.detail!.evidence as Record<string, unknown>).configuredReading, 'trimmed');
  assertNoSecret(raw.r, SECRET);
  assertNoSecret(trims.r, SECRET);
});

test('secret_double_encoded: a Kubernetes data: value made from text that already was base64, read as base64, verifies decoded twice', async () => {
  const key = randomBytes(32);
  const once = key.toString('base64');
  // kubectl create secret generic jwt --from-literal=secret=$(echo -n "$once" | base64): the variable is base64 twice.
  const twice = Buffer.from(once).toString('base64');
  const token = await joseHs256(key);
  const { d, r } = await diagnoseJson([token, '--secret', 'env:JWT_SECRET_B64', '--secret-encoding', 'base64'], { JWT_SECRET_B64: twice });
  assert.equal(d.result, 'signature_invalid');
  const f = find(d, 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'secret_double_encoded');
  assert.equal(f.owner, 'secrets');
  const e = f.detail!.evidence as Record<string, unknown>;
  assert.deepEqual(e.layers, ['base64', 'base64']);
  assert.equal(e.configuredEncoding, 'base64');
  assert.equal(e.configuredKeyIsBase64Text, true, 'this verifier reads the base64 text itself as the key');
  assert.equal(e.fingerprint, fingerprintSecret(key));
  assert.equal(e.configuredFingerprint, fingerprintSecret(Buffer.from(once)));
  assertNoSecret(r, key, once, twice);
});

test('secret_double_encoded read as utf8: the text decoded twice verifies; decoded once does not', async () => {
  // 0xff bytes make "_" in base64url: the inner layer is base64url only, never also plain base64.
  const key = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), randomBytes(29)]);
  const twice = Buffer.from(key.toString('base64url')).toString('base64');
  const token = hmacToken(key);
  const { d, r } = await diagnoseJson([token, '--secret', 'env:JWT_SECRET_TEXT'], { JWT_SECRET_TEXT: twice });
  const f = find(d, 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'secret_double_encoded');
  assert.deepEqual((f.detail!.evidence as Record<string, unknown>).layers, ['base64', 'base64url']);
  assert.equal((f.detail!.evidence as Record<string, unknown>).configuredKeyIsBase64Text, false);
  assert.equal(find(d, 'secret_encoding_mismatch'), undefined, 'one base64 layer does not verify');
  assertNoSecret(r, key, twice);
});

test('secret_encoding keeps its secret_encoding_mismatch finding and fields, and explains signature_invalid', async () => {
  const key = randomBytes(32);
  const token = await joseHs256(key);
  const { d, r } = await diagnoseJson([token, '--secret', 'env:JWT_SECRET_TEXT'], { JWT_SECRET_TEXT: key.toString('hex') });
  const m = find(d, 'secret_encoding_mismatch')!;
  assert.equal(m.expected, 'utf8');
  assert.equal(m.actual, 'hex');
  assert.equal(m.detail!.verifiesAs, 'hex');
  assert.equal(m.detail!.configuredEncoding, 'utf8');
  assert.equal(m.detail!.fingerprint, fingerprintSecret(key));
  assert.equal(m.detail!.cause, 'secret_encoding');
  const f = find(d, 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'secret_encoding');
  assert.equal(f.owner, CAUSES_SECRET.secret_encoding.owner);
  assertNoSecret(r, key);
});

test('a verifying secret with no whitespace carries no reading and no warning (nothing changes on the valid path)', async () => {
  const { d } = await diagnoseJson([hmacToken(SECRET), '--secret', 'env:PLAIN'], { PLAIN: SECRET });
  assert.equal(d.result, 'valid');
  assert.deepEqual(
    d.findings.filter((f) => f.code !== 'weak_key'),
    [],
  );
  assert.equal(d.signature.source!.reading, undefined);
});

test('readings: whitespace is named, never trimmed silently; base64 and hex texts decode trimmed (one key) and say so', () => {
  const rec = importSecretText(` ${SECRET}\t\n`, 'utf8', { kind: 'secret', location: 'literal' });
  assert.equal(rec.source.reading, 'raw');
  assert.equal(rec.fingerprint, fingerprintSecret(Buffer.from(` ${SECRET}\t\n`)));
  assert.deepEqual(secretWhitespace(rec), { leading: ['SPACE'], trailing: ['TAB', 'LF'] });
  assert.equal(otherWhitespaceReading(rec)!.fingerprint, fingerprintSecret(Buffer.from(SECRET)));
  assert.equal(otherWhitespaceReading(rec)!.source.reading, 'trimmed');
  const trimmed = importSecretText(`${SECRET}\n`, 'utf8', { kind: 'secret' }, {}, { trim: true });
  assert.equal(trimmed.fingerprint, fingerprintSecret(Buffer.from(SECRET)));
  assert.equal(otherWhitespaceReading(trimmed)!.source.reading, 'raw');
  const key = randomBytes(32);
  const b64 = importSecretText(`${key.toString('base64')}\n`, 'base64', { kind: 'secret' });
  assert.equal(b64.fingerprint, fingerprintSecret(key));
  assert.equal(b64.source.reading, 'trimmed');
  assert.equal(otherWhitespaceReading(b64), undefined, 'whitespace is no base64 byte: both readings are one key');
  const plain = importSecretText(SECRET, 'utf8', { kind: 'secret' });
  assert.equal(plain.source.reading, undefined);
  assert.equal(secretWhitespace(plain), undefined);
  assert.deepEqual(doubleDecodedSecretReadings(importSecretText('not base64 at all!', 'utf8', { kind: 'secret' })), []);
});

function inputFor(token: string, secretText: string, encoding: 'utf8' | 'base64', remaining: number): ForensicsInput {
  const decoded = decodeToken(token);
  assert.ok(decoded.ok);
  return {
    token: decoded.token,
    header: decoded.token.header,
    alg: getAlgorithm('HS256'),
    trusted: [importSecretText(secretText, encoding, { kind: 'secret' })],
    others: [],
    budget: { remaining },
  };
}

test('each secret probe spends at most its budget, and nothing once it is spent', () => {
  const key = randomBytes(32);
  const token = hmacToken(key);
  const twice = Buffer.from(key.toString('base64')).toString('base64');
  const spent = inputFor(token, twice, 'base64', 0);
  assert.deepEqual([...probeSecretWhitespace(spent), ...probeSecretEncoding(spent), ...probeSecretDoubleEncoded(spent)], []);
  const one = inputFor(token, twice, 'base64', 1);
  assert.equal(probeSecretDoubleEncoded(one).length, 1);
  assert.equal(one.budget.remaining, 0);
  // Whitespace: one verification for the one other reading.
  const ws = inputFor(hmacToken(SECRET), `${SECRET}\n`, 'utf8', 5);
  assert.equal(probeSecretWhitespace(ws)[0]!.cause, 'secret_trailing_whitespace');
  assert.equal(ws.budget.remaining, 4);
});

test('probes never weaken the verdict: a cause only explains the finding (code and severity unchanged)', () => {
  const token = hmacToken(SECRET);
  const input = inputFor(token, `${SECRET}\n`, 'utf8', 32);
  const findings: Finding[] = [{ code: 'signature_invalid', severity: 'error', hint: 'h', owner: 'secrets', claim: 'signature' }];
  applyProbes(findings, input);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.code, 'signature_invalid');
  assert.equal(findings[0]!.severity, 'error');
  assert.equal(findings[0]!.detail!.cause, 'secret_trailing_whitespace');
  assert.equal(JSON.stringify(findings).includes(SECRET), false);
});

test('CAUSES_SECRET: every cause of this half has an owner and a one-line fix', () => {
  for (const [name, c] of Object.entries(CAUSES_SECRET)) {
    assert.ok(['signer', 'verifier', 'secrets', 'gateway', 'client'].includes(c.owner), name);
    assert.ok(c.fix.length > 20 && !c.fix.includes('\n'), name);
  }
  assert.deepEqual(Object.keys(CAUSES_SECRET).sort(), [
    'key_from_other_environment',
    'key_use_excluded',
    'secret_double_encoded',
    'secret_encoding',
    'secret_trailing_whitespace',
  ]);
});
