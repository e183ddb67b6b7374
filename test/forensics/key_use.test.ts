/**
 * key_use_excluded (issue 11): the token's kid names a key the issuer
 * publishes, but with `use: "enc"`, `key_ops: ["encrypt"]` or pinned to
 * another `alg`. The JWKS is served by a real HTTP server on 127.0.0.1;
 * tokens are signed with jose's SignJWT (what a Node.js issuer runs), and
 * thumbprints come from jose's calculateJwkThumbprint (RFC 7638), not ours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { runCli, hasStackTrace, type CliResult } from '../helpers/cli.ts';
import { json, startServer, type TestServer } from '../helpers/http_server.ts';
import { importJwk, type KeyRecord } from '../../src/keys/import.ts';
import { getAlgorithm } from '../../src/keys/algorithms.ts';
import { decodeToken } from '../../src/token/decode.ts';
import { selectKeys } from '../../src/checks/signature.ts';
import { probeKeyUse } from '../../src/forensics/key_use.ts';
import { buildDiagnoser } from '../../src/diagnose.ts';
import type { Finding } from '../../src/reasons.ts';

const NOW = 1_800_000_000;
const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
let publicJwk: JWK;
let otherJwk: JWK;
let server: TestServer;

test.before(async () => {
  publicJwk = await exportJWK(signer.publicKey);
  otherJwk = await exportJWK(other.publicKey);
  server = await startServer({
    '/enc.json': json({ keys: [{ ...publicJwk, kid: 'r1', use: 'enc' }] }),
    '/ops.json': json({ keys: [{ ...publicJwk, kid: 'r1', key_ops: ['encrypt'] }] }),
    '/alg.json': json({ keys: [{ ...publicJwk, kid: 'r1', alg: 'RS512' }] }),
    '/enc-other.json': json({ keys: [{ ...otherJwk, kid: 'r1', use: 'enc' }] }),
  });
});
test.after(() => server.close());

function rs256(kid = 'r1'): Promise<string> {
  return new SignJWT({ sub: 'user-1' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuedAt(NOW - 60)
    .setExpirationTime(NOW + 600)
    .sign(signer.privateKey);
}

interface JsonDiagnosis {
  result: string;
  findings: Finding[];
}

async function diagnose(
  token: string,
  path: string,
  extra: string[] = ['--alg', 'RS256'],
  format = 'json',
): Promise<{ d: JsonDiagnosis | undefined; r: CliResult }> {
  const r = await runCli(['diagnose', token, '--jwks-url', `${server.url}${path}`, ...extra, '--now', String(NOW), '--format', format]);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  return { d: format === 'json' ? (JSON.parse(r.stdout) as JsonDiagnosis) : undefined, r };
}

const cases = [
  { path: '/enc.json', member: 'use', value: 'enc', expected: 'sig' },
  { path: '/ops.json', member: 'key_ops', value: ['encrypt'], expected: ['verify'] },
  { path: '/alg.json', member: 'alg', value: 'RS512', expected: 'RS256' },
] as const;

for (const c of cases) {
  test(`key_use_excluded: kid r1 published with ${c.member} ${JSON.stringify(c.value)} is named on key_not_found, with its thumbprint and that the signature verifies with it`, async () => {
    const { d, r } = await diagnose(await rs256(), c.path);
    assert.equal(d!.result, 'key_not_found', 'an excluded key never verifies');
    const f = d!.findings.find((x) => x.code === 'key_not_found')!;
    assert.equal(f.claim, `key.${c.member}`);
    assert.deepEqual(f.expected, c.expected);
    assert.deepEqual(f.actual, c.value);
    assert.equal(f.owner, 'signer');
    assert.equal(f.detail!.cause, 'key_use_excluded');
    assert.equal(f.detail!.reason, 'key_use_excluded');
    const e = f.detail!.evidence as Record<string, unknown>;
    assert.equal(e.kid, 'r1');
    assert.equal(e.thumbprint, await calculateJwkThumbprint(publicJwk));
    assert.equal(e.member, c.member);
    assert.deepEqual(e.value, c.value);
    assert.equal(e.verifies, true);
    assert.equal(e.checked, true);
    assert.equal(r.stdout.includes(String(publicJwk.n)), false, 'no key material');
  });
}

test("key_use_excluded with a key that is not the signer's: named, and the signature does not verify with it", async () => {
  const { d } = await diagnose(await rs256(), '/enc-other.json');
  const f = d!.findings.find((x) => x.code === 'key_not_found')!;
  assert.equal(f.detail!.cause, 'key_use_excluded');
  const e = f.detail!.evidence as Record<string, unknown>;
  assert.equal(e.verifies, false);
  assert.equal(e.thumbprint, await calculateJwkThumbprint(otherJwk));
});

test('the text report never reads "expected , found": it names the member, the value wanted and the value found', async () => {
  for (const c of cases) {
    const { r } = await diagnose(await rs256(), c.path, ['--alg', 'RS256'], 'text');
    assert.doesNotMatch(r.stdout, /expected\s*,/);
    assert.match(r.stdout, new RegExp(`key_not_found \\(key\\.${c.member}\\)`));
  }
});

test('without --alg the allow-list comes from the keys: a key pinned to RS512 gives alg_not_allowed, explained by the same cause', async () => {
  const { d } = await diagnose(await rs256(), '/alg.json', []);
  assert.equal(d!.result, 'alg_not_allowed');
  const f = d!.findings.find((x) => x.code === 'alg_not_allowed')!;
  assert.equal(f.detail!.cause, 'key_use_excluded');
  assert.equal((f.detail!.evidence as Record<string, unknown>).member, 'alg');
  assert.equal(f.owner, 'signer');
});

function record(jwk: JWK, extra: Record<string, unknown>): KeyRecord {
  return importJwk({ ...jwk, ...extra }, { kind: 'jwks_uri', location: 'https://auth.example.com/jwks.json' });
}

test('selection: an excluded key is never a candidate, and a kid-less trusted key still serves a token whose kid only an excluded key has', async () => {
  const header = { alg: 'RS256', kid: 'r1' };
  const rs = getAlgorithm('RS256')!;
  const enc = record(publicJwk, { kid: 'r1', use: 'enc' });
  const sel = selectKeys(header, rs, [], [enc]);
  assert.deepEqual(sel.keys, []);
  assert.equal(sel.findings[0]!.detail!.reason, 'key_use_excluded');
  const kidless = record(publicJwk, {});
  const served = selectKeys(header, rs, [kidless], [enc]);
  assert.deepEqual(served.keys, [kidless], 'the verdict of a token a trusted key verifies does not change');
  const d = buildDiagnoser({ algorithms: ['RS256'] }, { keys: [], excludedKeys: [enc] }).diagnose(await rs256(), { now: NOW });
  assert.equal(d.result, 'key_not_found');
  assert.equal(d.signature.status, 'skipped');
});

test('probeKeyUse spends one verification per excluded key, and says when the budget left it unchecked', async () => {
  const decoded = decodeToken(await rs256());
  assert.ok(decoded.ok);
  const enc = record(publicJwk, { kid: 'r1', use: 'enc' });
  const ops = record(publicJwk, { kid: 'r1', key_ops: ['encrypt'] });
  const input = {
    token: decoded.token,
    header: decoded.token.header,
    alg: getAlgorithm('RS256'),
    trusted: [ops],
    others: [],
    excluded: [enc],
    budget: { remaining: 1 },
  };
  const causes = probeKeyUse(input);
  assert.equal(causes.length, 2);
  assert.deepEqual(
    causes.map((c) => [c.evidence.member, c.verifies, c.evidence.checked]),
    [
      ['key_ops', true, true],
      ['use', false, false],
    ],
  );
  assert.equal(input.budget.remaining, 0);
});

test('a bad signature is never explained by an excluded key that does not verify it', async () => {
  const trusted = record(otherJwk, { kid: 'r1' });
  const enc = record(otherJwk, { kid: 'r1', use: 'enc' });
  const d = buildDiagnoser({ algorithms: ['RS256'] }, { keys: [trusted], excludedKeys: [enc] }).diagnose(await rs256(), { now: NOW });
  assert.equal(d.result, 'signature_invalid');
  assert.equal(d.findings.find((f) => f.code === 'signature_invalid')!.detail!.cause, undefined);
  // The signer's own key, published for encryption next to a trusted key that does not verify: that explains it.
  const signers = buildDiagnoser(
    { algorithms: ['RS256'] },
    { keys: [trusted], excludedKeys: [record(publicJwk, { kid: 'r1', use: 'enc' })] },
  ).diagnose(await rs256(), { now: NOW });
  const f = signers.findings.find((x) => x.code === 'signature_invalid')!;
  assert.equal(f.detail!.cause, 'key_use_excluded');
  assert.equal(f.owner, 'signer');
});
