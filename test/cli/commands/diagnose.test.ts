/**
 * The real CLI as a subprocess (cwd = repo): output lines, exit codes,
 * inline expectations, contract errors, never a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, hasStackTrace, type CliResult, SEED_LINES } from '../../helpers/cli.ts';
import { claimsAt, jwksOf, makeKey, signJws, spkiPem } from '../../helpers/mint.ts';
import { startServer, json, hang, type TestServer } from '../../helpers/http_server.ts';
import { codes, EXAMPLES_NOW_ISO, NOW, NOW_ISO } from '../../helpers/index.ts';

const SEED = [
  'diagnose',
  'examples/tokens/local-login.jwt',
  '--contract',
  'examples/auth-contract.yaml',
  '--env',
  'staging',
  '--now',
  EXAMPLES_NOW_ISO,
];
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-cli-'));
const ec = makeKey('ES256', { kid: 'cli-ec' });
const rs = makeKey('RS256', { kid: 'cli-rs' });
const certKey = readFileSync(new URL('../../fixtures/keys/cert-signer.key.pem', import.meta.url), 'utf8');
const certPath = new URL('../../fixtures/keys/cert-signer.crt.pem', import.meta.url).pathname;
const { createPrivateKey, createPublicKey } = await import('node:crypto');
const certSigner = { alg: 'ES256' as const, privateKey: createPrivateKey(certKey), publicKey: createPublicKey(certKey) };
writeFileSync(join(dir, 'ec.jwk.json'), JSON.stringify(ec.publicJwk));
writeFileSync(join(dir, 'set.jwks.json'), JSON.stringify(jwksOf(ec, rs)));
writeFileSync(join(dir, 'rs.pem'), spkiPem(rs));
// Written as printf '%s' does: a trailing newline would be part of the secret (read raw, test/forensics/secret.test.ts).
writeFileSync(join(dir, 'hs.secret'), 'file-secret-file-secret-file-secret!');
let server: TestServer;
test.before(async () => {
  server = await startServer({ '/jwks.json': json(jwksOf(ec)), '/hang': hang });
});
test.after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const jsonOut = (r: CliResult) =>
  JSON.parse(r.stdout) as { result: string; findings: { code: string; detail?: Record<string, unknown> }[]; [k: string]: unknown };
const clean = (r: CliResult) => assert.equal(hasStackTrace(r.stderr), false, r.stderr);

test('the seed case: exactly the six seed lines first, exit 1, no ANSI on a pipe', async () => {
  const r = await runCli(SEED, { env: { NO_COLOR: undefined } });
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.split('\n').slice(0, 6), SEED_LINES);
  assert.equal(r.stdout.includes('\u001b['), false);
  clean(r);
});

test('exit 0 for a valid token; --format json is the library object; markdown has the claim delta', async () => {
  const ok = await runCli([
    'diagnose',
    'examples/tokens/local-login.jwt',
    '--contract',
    'examples/auth-contract.yaml',
    '--env',
    'local',
    '--now',
    EXAMPLES_NOW_ISO,
    '--format',
    'json',
  ]);
  assert.equal(ok.code, 0);
  const d = jsonOut(ok);
  assert.equal(d.schema, 'jwt-doctor/diagnosis/v1');
  assert.equal(d.result, 'valid');
  const md = await runCli([...SEED, '--format', 'markdown', '--sanitize']);
  assert.equal(md.code, 1);
  assert.ok(md.stdout.includes('| iss | https://auth.staging.example.com | https://auth.example.com | fail (issuer_mismatch) |'));
  assert.equal(md.stdout.includes('user-1234'), false, 'sub hashed under --sanitize');
  const token = readFileSync('examples/tokens/local-login.jwt', 'utf8').trim();
  assert.equal(md.stdout.includes(token.split('.')[2]!), false);
});

test('token input: "-" reads stdin, --token-file, a pasted Authorization line is normalized and reported', async () => {
  const token = signJws(ec, claimsAt(NOW));
  const viaStdin = await runCli(['diagnose', '-', '--key', join(dir, 'ec.jwk.json'), '--now', String(NOW), '--format', 'json'], {
    input: `Authorization: Bearer Bearer ${token}\n`,
  });
  assert.equal(viaStdin.code, 0);
  const d = jsonOut(viaStdin);
  assert.deepEqual(
    d.findings.filter((f) => f.code === 'header_malformed').map((f) => f.detail!.stripped),
    ['doubled_bearer'],
  );
  writeFileSync(join(dir, 't.txt'), `"${token}"\n`);
  const viaFile = await runCli([
    'diagnose',
    '--token-file',
    join(dir, 't.txt'),
    '--key',
    join(dir, 'ec.jwk.json'),
    '--now',
    String(NOW),
    '--format',
    'json',
  ]);
  assert.equal(viaFile.code, 0);
  assert.deepEqual(
    jsonOut(viaFile).findings.map((f) => f.detail!.stripped),
    ['quotes'],
  );
  // An empty stdin is the operator's mistake, not a missing header: usage error (test/cli/usage_errors.test.ts).
  const empty = await runCli(['diagnose', '-', '--key', join(dir, 'ec.jwk.json'), '--format', 'json'], { input: '' });
  assert.equal(empty.code, 2);
  assert.equal(empty.stdout, '');
});

test('inline expectations: --iss (repeatable), --aud, --alg, --typ, --require, --key JWK/JWKS/PEM/cert, --now unix and ISO', async () => {
  const t = signJws(ec, claimsAt(NOW, { iss: 'https://b', aud: 'api' }), { header: { typ: 'at+jwt' } });
  const base = ['diagnose', t, '--format', 'json'];
  const ok = await runCli([
    ...base,
    '--iss',
    'https://a',
    '--iss',
    'https://b',
    '--aud',
    'api',
    '--alg',
    'ES256',
    '--typ',
    'at+jwt',
    '--require',
    'sub',
    '--key',
    join(dir, 'set.jwks.json'),
    '--now',
    NOW_ISO,
  ]);
  assert.equal(ok.code, 0, ok.stdout);
  const bad = await runCli([
    ...base,
    '--iss',
    'https://a',
    '--aud',
    'web',
    '--alg',
    'ES256',
    '--typ',
    'JWT',
    '--require',
    'tenant',
    '--key',
    join(dir, 'ec.jwk.json'),
    '--now',
    String(NOW),
  ]);
  assert.equal(bad.code, 1);
  const found = codes(jsonOut(bad));
  for (const c of ['issuer_mismatch', 'audience_mismatch', 'typ_mismatch', 'missing_claim']) assert.ok(found.includes(c), c);
  const notAllowed = await runCli([...base, '--alg', 'RS256', '--key', join(dir, 'set.jwks.json'), '--now', String(NOW)]);
  assert.equal(jsonOut(notAllowed).result, 'alg_not_allowed');
  const pem = await runCli([
    'diagnose',
    signJws(rs, claimsAt(NOW)),
    '--key',
    join(dir, 'rs.pem'),
    '--now',
    String(NOW),
    '--format',
    'json',
  ]);
  assert.equal(jsonOut(pem).result, 'valid');
  const certToken = signJws(certSigner, claimsAt(NOW));
  const cert = await runCli(['diagnose', certToken, '--key', certPath, '--now', String(NOW), '--format', 'json']);
  assert.equal(jsonOut(cert).result, 'valid');
  assert.equal((jsonOut(cert).signature as { source: { kind: string } }).source.kind, 'certificate');
});

test('inline time flags: --clock-tolerance and --max-age', async () => {
  const t = signJws(ec, claimsAt(NOW, { iat: NOW - 4000, exp: NOW - 20 }));
  const strict = await runCli([
    'diagnose',
    t,
    '--key',
    join(dir, 'ec.jwk.json'),
    '--now',
    String(NOW),
    '--max-age',
    '3600',
    '--format',
    'json',
  ]);
  const found = codes(jsonOut(strict));
  assert.ok(found.includes('token_expired') && found.includes('token_too_old') && !found.includes('clock_skew_suspected'));
  const lenient = await runCli([
    'diagnose',
    t,
    '--key',
    join(dir, 'ec.jwk.json'),
    '--now',
    String(NOW),
    '--clock-tolerance',
    '500',
    '--format',
    'json',
  ]);
  assert.equal(jsonOut(lenient).result, 'valid');
});

test('--secret VALUE | @FILE | env:NAME with --secret-encoding', async () => {
  const raw = Buffer.from('0123456789abcdef0123456789abcdef');
  const t = signJws(makeKey('HS256', { secret: raw }), claimsAt(NOW));
  const literal = await runCli(['diagnose', t, '--secret', raw.toString('hex'), '--secret-encoding', 'hex', '--now', String(NOW)]);
  assert.equal(literal.code, 0, literal.stdout);
  const env = await runCli(
    ['diagnose', t, '--secret', 'env:MY_JWT_SECRET', '--secret-encoding', 'base64', '--now', String(NOW), '--format', 'json'],
    { env: { MY_JWT_SECRET: raw.toString('base64') } },
  );
  assert.equal(env.code, 0);
  assert.equal(env.stdout.includes(raw.toString('base64')), false);
  const fileSecret = Buffer.from('file-secret-file-secret-file-secret!');
  const fromFile = await runCli([
    'diagnose',
    signJws(makeKey('HS256', { secret: fileSecret }), claimsAt(NOW)),
    '--secret',
    `@${join(dir, 'hs.secret')}`,
    '--now',
    String(NOW),
  ]);
  assert.equal(fromFile.code, 0, fromFile.stdout);
  const mismatch = await runCli(['diagnose', t, '--secret', raw.toString('base64'), '--now', String(NOW), '--format', 'json']);
  assert.equal(mismatch.code, 1);
  assert.equal(jsonOut(mismatch).findings.find((f) => f.code === 'secret_encoding_mismatch')!.detail!.verifiesAs, 'base64');
  assert.equal(mismatch.stdout.includes(raw.toString('base64')), false);
});

test('inline flags override the contract environment', async () => {
  const r = await runCli([...SEED, '--iss', 'https://auth.staging.example.com', '--aud', 'web-staging', '--format', 'json']);
  assert.equal(r.code, 0, r.stdout);
});

test('--jwks-url against a real server; an unreachable URL is jwks_unreachable (exit 1), bounded by --timeout', async () => {
  const t = signJws(ec, claimsAt(NOW));
  const ok = await runCli(['diagnose', t, '--jwks-url', `${server.url}/jwks.json`, '--now', String(NOW)]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  const down = await runCli([
    'diagnose',
    t,
    '--jwks-url',
    `${server.url}/hang`,
    '--timeout',
    '300',
    '--now',
    String(NOW),
    '--format',
    'json',
  ]);
  assert.equal(down.code, 1);
  const d = jsonOut(down);
  assert.equal(d.result, 'jwks_unreachable');
  assert.equal(d.findings.find((f) => f.code === 'jwks_unreachable')!.detail!.error, 'timeout');
  const refused = await runCli(['diagnose', t, '--jwks-url', 'http://127.0.0.1:1/jwks.json', '--now', String(NOW), '--format', 'json']);
  assert.equal(jsonOut(refused).result, 'jwks_unreachable');
  clean(down);
});

test('no CLI report (text, json, markdown; with and without --sanitize) carries the secret, its encodings, a private key or (sanitized) the token', async () => {
  const raw = Buffer.from('0123456789abcdef0123456789abcdef');
  const secretText = raw.toString('base64');
  const rsPriv = rs.privateKey!.export({ format: 'pem', type: 'pkcs8' }).toString();
  writeFileSync(join(dir, 'rs.private.pem'), rsPriv);
  const t = signJws(makeKey('HS256', { secret: raw }), claimsAt(NOW, { sub: 'alice', email: 'alice@example.com' }));
  const forbidden = [
    secretText,
    raw.toString('base64url'),
    raw.toString('hex'),
    raw.toString('utf8'),
    ...rsPriv.split('\n').filter((l) => l.length > 20),
  ];
  for (const format of ['text', 'json', 'markdown']) {
    for (const sanitize of [false, true]) {
      const r = await runCli([
        'diagnose',
        t,
        '--secret',
        secretText,
        '--key',
        join(dir, 'rs.private.pem'),
        '--alg',
        'HS256',
        '--alg',
        'RS256',
        '--now',
        String(NOW),
        '--format',
        format,
        ...(sanitize ? ['--sanitize'] : []),
      ]);
      assert.equal(r.code, 1, `${format} ${sanitize}`);
      for (const f of forbidden)
        assert.equal(r.stdout.includes(f) || r.stderr.includes(f), false, `${format} sanitize=${sanitize} leaked ${f.slice(0, 6)}...`);
      if (sanitize) {
        assert.equal(r.stdout.includes(t), false);
        assert.equal(r.stdout.includes(t.split('.')[2]!), false);
        assert.equal(r.stdout.includes('alice@example.com'), false);
      }
    }
  }
});
