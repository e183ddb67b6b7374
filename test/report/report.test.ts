/**
 * Reports (issue 2, requirement 9): the seed's six lines, JSON structure,
 * markdown claim delta, sanitize, colour rules, and no secret in any format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_LINES } from '../helpers/cli.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import { loadContract } from '../../src/contract/load.ts';
import type { Diagnosis } from '../../src/diagnose.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { formatDiagnosisText } from '../../src/report/text.ts';
import { formatDiagnosisMarkdown } from '../../src/report/markdown.ts';
import { sanitizeDiagnosis, shortHash } from '../../src/report/sanitize.ts';
import { describeInstant, formatDuration, parseInstant } from '../../src/report/format_time.ts';
import { claimsAt, makeKey, signJws } from '../helpers/mint.ts';
import { EXAMPLES_NOW } from '../helpers/index.ts';

const ex = (p: string) => fileURLToPath(new URL(`../../examples/${p}`, import.meta.url));
/** An ANSI escape sequence (CSI), as colour output starts one. */
const hasAnsi = (text: string): boolean => text.includes('\u001b[');

async function seedDiagnosis(): Promise<Diagnosis> {
  const contract = loadContract(ex('auth-contract.yaml'));
  const d = await createDiagnoser(contract.environments.staging!, { contract });
  return d.diagnose(readFileSync(ex('tokens/local-login.jwt'), 'utf8'), { now: EXAMPLES_NOW });
}

test('text: the seed case starts with exactly the six seed lines, in order', async () => {
  const text = formatDiagnosisText(await seedDiagnosis());
  assert.deepEqual(text.split('\n').slice(0, 6), SEED_LINES);
  assert.equal(hasAnsi(text), false);
  // Further lines are key = value pairs or the findings section.
  const rest = text.split('\n').slice(6);
  assert.ok(rest.includes('token_age_seconds = 300'));
  assert.ok(rest.includes('findings:'));
});

test('text: colour only when asked (the CLI asks only on a TTY without NO_COLOR)', async () => {
  const d = await seedDiagnosis();
  assert.equal(hasAnsi(formatDiagnosisText(d, { color: true })), true);
  assert.equal(hasAnsi(formatDiagnosisText(d, { color: false })), false);
  // Colour never changes the seed lines' text.
  const plain = stripVTControlCharacters(formatDiagnosisText(d, { color: true }));
  assert.deepEqual(plain.split('\n').slice(0, 6), SEED_LINES);
});

test('JSON: the versioned object with findings, signature and clock', async () => {
  const d = JSON.parse(JSON.stringify(await seedDiagnosis())) as Diagnosis;
  assert.equal(d.schema, 'jwt-doctor/diagnosis/v1');
  assert.equal(d.result, 'claim_mismatch');
  assert.equal(d.env, 'staging');
  for (const f of d.findings) {
    assert.equal(typeof f.code, 'string');
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.equal(typeof f.hint, 'string');
    assert.ok(['signer', 'verifier', 'secrets', 'gateway', 'client'].includes(f.owner ?? ''));
  }
  const iss = d.findings.find((f) => f.code === 'issuer_mismatch')!;
  assert.deepEqual([iss.claim, iss.expected, iss.actual], ['iss', 'https://auth.example.com', 'https://auth.staging.example.com']);
  assert.equal(iss.detail?.nearMiss, 'host_alias');
  const aud = d.findings.find((f) => f.code === 'audience_mismatch')!;
  assert.deepEqual([aud.claim, aud.expected, aud.actual], ['aud', 'web-prod', 'web-staging']);
  assert.equal(d.signature.status, 'pass');
  assert.equal(d.signature.kid, 'staging-2026-11');
  assert.match(d.signature.thumbprint ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal(d.signature.source?.kind, 'jwks_file');
  assert.equal(d.clock.now, EXAMPLES_NOW);
  assert.equal(d.clock.tokenAgeSeconds, 300);
  assert.equal(d.clock.toleranceSeconds, 10);
  assert.equal(d.header?.alg, 'RS256');
  assert.equal(d.claims?.sub, 'user-1234');
  assert.equal(d.owners?.verifier, 'orders-team');
});

test('markdown: an incident note with the claim delta table', async () => {
  const md = formatDiagnosisMarkdown(await seedDiagnosis());
  assert.match(md, /^# JWT diagnosis: staging: `claim_mismatch`/);
  assert.ok(md.includes('## Claim delta'));
  assert.ok(md.includes('| check | token | expected | status |'));
  assert.ok(md.includes('| iss | https://auth.staging.example.com | https://auth.example.com | fail (issuer_mismatch) |'));
  assert.ok(md.includes('| aud | web-staging | web-prod | fail (audience_mismatch) |'));
  assert.match(md, /\| signature \| kid staging-2026-11 \| trusted key \| pass \|/);
  assert.ok(md.includes('## Findings'));
  assert.ok(md.includes('`issuer_mismatch`'));
});

test('sanitize: identifying claims become short hashes; the rest is kept', async () => {
  const key = makeKey('ES256', { kid: 'k' });
  const token = signJws(key, claimsAt(EXAMPLES_NOW, { sub: 'alice-42', email: 'alice@example.com', name: 'Alice Example', aud: 'x' }));
  const d = (await createDiagnoser({ audience: ['api'], keys: [{ jwk: key.publicJwk! }] })).diagnose(token, { now: EXAMPLES_NOW });
  const s = sanitizeDiagnosis(d);
  assert.equal(s.claims!.sub, shortHash('alice-42'));
  assert.equal(s.claims!.email, shortHash('alice@example.com'));
  assert.equal(s.claims!.name, shortHash('Alice Example'));
  assert.match(String(s.claims!.sub), /^hash:[0-9a-f]{10}$/);
  assert.equal(s.claims!.iss, d.claims!.iss);
  assert.equal(s.claims!.aud, 'x');
  for (const out of [JSON.stringify(s), formatDiagnosisText(s), formatDiagnosisMarkdown(s)]) {
    for (const secret of ['alice-42', 'alice@example.com', 'Alice Example', token, token.split('.')[2]!])
      assert.equal(out.includes(secret), false, secret);
  }
  assert.equal(d.claims!.sub, 'alice-42', 'the original diagnosis is not mutated');
});

test('no report, in any format, sanitized or not, carries the secret, its encodings, or a private key', async () => {
  const raw = randomBytes(32);
  const secretText = raw.toString('base64');
  const rs = makeKey('RS256', { kid: 'r', fresh: true });
  const privatePem = rs.privateKey!.export({ format: 'pem', type: 'pkcs8' }).toString();
  const privateJwk = rs.privateKey!.export({ format: 'jwk' }) as Record<string, string>;
  const contract = loadContract({
    environments: {
      local: { keys: [{ secret: { value: secretText, encoding: 'utf8' } }] },
      staging: {
        keys: [{ pem: privatePem }, { jwk: { ...privateJwk, kid: 'priv' } }, { secret: { value: secretText, encoding: 'utf8' } }],
      },
    },
  });
  const d = await createDiagnoser(contract.environments.staging!, { contract });
  const tokens = [
    signJws(makeKey('HS256', { secret: raw }), claimsAt(EXAMPLES_NOW)),
    signJws(rs, claimsAt(EXAMPLES_NOW)),
    signJws(makeKey('HS256'), claimsAt(EXAMPLES_NOW)),
  ];
  const forbidden = [
    secretText,
    raw.toString('base64url'),
    raw.toString('hex'),
    privateJwk.d!,
    privateJwk.p!,
    privateJwk.q!,
    ...privatePem.split('\n').filter((l) => l.length > 20),
  ];
  for (const token of tokens) {
    const diag = d.diagnose(token, { now: EXAMPLES_NOW });
    for (const r of [diag, sanitizeDiagnosis(diag)]) {
      for (const out of [JSON.stringify(r), formatDiagnosisText(r), formatDiagnosisMarkdown(r)]) {
        for (const f of forbidden) assert.equal(out.includes(f), false, `leaked ${f.slice(0, 8)}...`);
      }
    }
    if (token === tokens[0]) assert.ok(diag.findings.some((f) => f.code === 'secret_encoding_mismatch'));
  }
});

test('time formatting: durations, ISO + relative, --now parsing', () => {
  assert.equal(formatDuration(192), '3m 12s');
  assert.equal(formatDuration(-7500), '2h 5m');
  assert.equal(formatDuration(0), '0s');
  assert.equal(describeInstant('exp', 1000, 1192), '1970-01-01T00:16:40.000Z (expired 3m 12s ago)');
  assert.match(describeInstant('exp', 2000, 1000), /expires in 16m 40s/);
  assert.match(describeInstant('nbf', 2000, 1000), /valid in/);
  assert.equal(parseInstant('1800000000'), 1800000000);
  assert.equal(parseInstant('2026-11-28T12:05:00Z'), EXAMPLES_NOW);
  assert.equal(parseInstant('yesterday'), undefined);
});
