import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKeysReport } from '../../src/rotation/keys_report.ts';
import { EXAMPLES_NOW, NOW, codes, jwksKey, runCli, sendJson, serve } from '../helpers/index.ts';

const sortedCodes = (r: Parameters<typeof codes>[0]) => codes(r).sort();

function badJwks() {
  const good = jwksKey('good');
  const small = jwksKey('small', 'RS256', { modulusLength: 512 });
  const eOne = { ...jwksKey('e-one').publicJwk, e: 'AQ' };
  const ec = jwksKey('ec', 'ES256').publicJwk;
  const y = Buffer.from(String(ec.y), 'base64url');
  y[5]! ^= 1;
  const offCurve = { ...ec, kid: 'off-curve', y: y.toString('base64url') };
  const priv = {
    ...(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
    kid: 'leaked',
    alg: 'RS256',
    use: 'sig',
  };
  return { keys: [good.publicJwk, small.publicJwk, eOne, offCurve, { kty: 'XYZ', kid: 'weird' }, priv] };
}

test('a JWKS served over HTTP with invalid keys gives coded findings, never a crash', async () => {
  const doc = badJwks();
  const srv = await serve((_req, res) => sendJson(res, doc, { 'cache-control': 'public, max-age=300' }));
  try {
    const r = await buildKeysReport({ source: `${srv.url}/jwks.json`, now: NOW, timeoutMs: 2000 });
    assert.equal(r.schema, 'jwt-doctor/keys/v1');
    assert.equal(r.keys.length, 6);
    const byKid = Object.fromEntries(r.keys.map((k) => [k.kid, k]));
    assert.deepEqual(byKid.good!.codes, []);
    assert.equal(byKid.good!.bits, 2048);
    assert.ok(byKid.good!.thumbprint);
    assert.ok(byKid.small!.codes.includes('rsa_key_too_small'));
    assert.equal(r.findings.find((f) => f.code === 'rsa_key_too_small')!.severity, 'error'); // 512 bits
    assert.ok(byKid['e-one']!.codes.includes('rsa_exponent_weak'));
    assert.equal(r.findings.find((f) => f.code === 'rsa_exponent_weak')!.actual, 1);
    assert.deepEqual(byKid['off-curve']!.codes, ['ec_point_invalid']);
    assert.equal(byKid['off-curve']!.status, 'invalid');
    assert.deepEqual(byKid.weird!.codes, ['key_type_unknown']);
    const leak = r.findings.find((f) => f.code === 'private_key_published')!;
    assert.equal(leak.severity, 'error');
    assert.deepEqual((leak.detail as { members: string[] }).members, ['d', 'p', 'q', 'dp', 'dq', 'qi']);
    assert.equal(r.result, 'error');
    assert.equal(r.sources[0]!.cacheControl, 'public, max-age=300');
    // No private member value reaches the report.
    const text = JSON.stringify(r);
    for (const m of ['d', 'p', 'q']) assert.ok(!text.includes(String((doc.keys[5] as Record<string, unknown>)[m])));
  } finally {
    await srv.close();
  }
});

test('kid, use and alg problems and algorithm fit', async () => {
  const a = jwksKey('same');
  const b = jwksKey('same');
  const c = jwksKey('x');
  const d = jwksKey('y');
  const { kid: _k1, alg: _a1, use: _u1, ...noKid1 } = c.publicJwk;
  const { kid: _k2, ...noKid2 } = d.publicJwk;
  const dir = mkdtempSync(join(tmpdir(), 'jd-keys-'));
  try {
    const file = join(dir, 'jwks.json');
    writeFileSync(
      file,
      JSON.stringify({
        keys: [
          a.publicJwk,
          b.publicJwk,
          noKid1,
          noKid2,
          { kty: 'oct', k: Buffer.from('short-secret').toString('base64url'), kid: 'hs', alg: 'HS256' },
        ],
      }),
    );
    const r = await buildKeysReport({ source: file, algorithms: ['ES256', 'HS256'], now: NOW });
    assert.deepEqual(
      [...new Set(sortedCodes(r))],
      ['duplicate_kid', 'hmac_secret_too_short', 'key_unusable', 'key_use_missing', 'kid_missing'],
    );
    assert.equal(r.findings.find((f) => f.code === 'duplicate_kid')!.severity, 'error'); // two different keys
    const hs = r.keys.find((k) => k.kid === 'hs')!;
    assert.match(hs.fingerprint!, /^fp:[0-9a-f]{12}$/);
    assert.ok(!JSON.stringify(r).includes(Buffer.from('short-secret').toString('base64url')), 'secret value never in the report');
    assert.equal(r.findings.filter((f) => f.code === 'key_unusable').length, 4); // RSA keys vs ES256/HS256
    assert.equal(r.sources[0]!.kind, 'jwks_file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unreachable URL, non-JSON body and missing file are jwks_unreachable findings', async () => {
  const srv = await serve((req, res) => {
    if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const closed = await serve(() => undefined);
  const deadUrl = closed.url;
  await closed.close();
  try {
    for (const source of [`${srv.url}/html`, `${deadUrl}/jwks.json`, '/nonexistent/jwks.json']) {
      const r = await buildKeysReport({ source, now: NOW, timeoutMs: 2000 });
      assert.deepEqual(sortedCodes(r), ['jwks_unreachable'], source);
      assert.equal(r.keys.length, 0);
      assert.equal(r.result, 'error');
    }
  } finally {
    await srv.close();
  }
});

test('an issuer URL is followed through OIDC discovery', async () => {
  const key = jwksKey('disc');
  const srv = await serve((req, res) => {
    if (req.url === '/.well-known/openid-configuration') sendJson(res, { issuer: srv.url, jwks_uri: `${srv.url}/keys` });
    else if (req.url === '/keys') sendJson(res, { keys: [key.publicJwk] });
    else {
      res.writeHead(404);
      res.end();
    }
  });
  try {
    const r = await buildKeysReport({ source: srv.url, now: NOW, timeoutMs: 2000 });
    assert.equal(r.sources[0]!.kind, 'discovery');
    assert.equal(r.sources[0]!.jwksUri, `${srv.url}/keys`);
    assert.deepEqual(
      r.keys.map((k) => k.kid),
      ['disc'],
    );
    assert.equal(r.result, 'ok');
  } finally {
    await srv.close();
  }
});

test('PEM files: public, private (reduced to public) and a hung server times out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jd-pem-'));
  const hung = await serve(() => undefined); // never answers
  try {
    const k = jwksKey('pem');
    const pub = join(dir, 'pub.pem');
    const priv = join(dir, 'priv.pem');
    writeFileSync(pub, k.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    writeFileSync(priv, k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const a = await buildKeysReport({ source: pub, now: NOW });
    const b = await buildKeysReport({ source: priv, now: NOW });
    assert.equal(a.keys[0]!.thumbprint, b.keys[0]!.thumbprint);
    assert.equal(a.keys[0]!.kty, 'RSA');
    const t = await buildKeysReport({ source: `${hung.url}/jwks.json`, now: NOW, timeoutMs: 200 });
    assert.equal(t.findings[0]!.code, 'jwks_unreachable');
    assert.equal(t.findings[0]!.detail!.error, 'timeout');
  } finally {
    await hung.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('x5c certificate expiry is shown, and flagged once past', async () => {
  const file = new URL('./fixtures/x5c.jwks.json', import.meta.url).pathname;
  // The fixture certificate is valid at the examples' instant (2026-11-28) and expired at NOW (2027-01-15).
  const before = await buildKeysReport({ source: file, now: EXAMPLES_NOW });
  assert.equal(before.keys[0]!.certificateExpires, '2026-11-29T19:04:17.000Z');
  assert.deepEqual(sortedCodes(before), []);
  const after = await buildKeysReport({ source: file, now: NOW });
  assert.deepEqual(sortedCodes(after), ['certificate_expired']);
  const pem = await buildKeysReport({ source: new URL('./fixtures/x5c-cert.pem', import.meta.url).pathname, now: EXAMPLES_NOW });
  assert.equal(pem.keys[0]!.certificateExpires, '2026-11-29T19:04:17.000Z');
  assert.equal(pem.keys[0]!.thumbprint, before.keys[0]!.thumbprint);
});

test('CLI: keys --env checks against the environment, exit codes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jd-keys-cli-'));
  try {
    const k = jwksKey('rsa-1');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [k.publicJwk] }));
    writeFileSync(
      join(dir, 'c.yaml'),
      'version: 1\nenvironments:\n  prod:\n    issuer: https://a\n    algorithms: [ES256]\n    keys: [{ jwksFile: jwks.json }]\n',
    );
    const r = await runCli(['keys', '--env', 'prod', '--contract', join(dir, 'c.yaml'), '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.env, 'prod');
    assert.deepEqual(
      out.findings.map((f: { code: string }) => f.code),
      ['key_unusable'],
    );
    const ok = await runCli(['keys', join(dir, 'jwks.json')]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /result = ok/);
    const usage = await runCli(['keys']);
    assert.equal(usage.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a JWKS body over the size cap is refused', async () => {
  const big = JSON.stringify({ keys: [], padding: 'x'.repeat(600 * 1024) });
  const srv = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // no content-length: the cap applies while streaming
    res.end(big);
  });
  try {
    const r = await buildKeysReport({ source: `${srv.url}/jwks.json`, now: NOW, timeoutMs: 2000 });
    assert.deepEqual(sortedCodes(r), ['jwks_unreachable']);
    assert.equal(r.findings[0]!.detail!.error, 'too_large');
  } finally {
    await srv.close();
  }
});

test('an HMAC key (k) is a leak when served over HTTP, expected in a local verifier file', async () => {
  const oct = { kty: 'oct', kid: 'hs', alg: 'HS256', use: 'sig', k: Buffer.alloc(32, 7).toString('base64url') };
  const srv = await serve((_req, res) => sendJson(res, { keys: [oct] }));
  const dir = mkdtempSync(join(tmpdir(), 'jd-oct-'));
  try {
    const served = await buildKeysReport({ source: `${srv.url}/jwks.json`, now: NOW, timeoutMs: 2000 });
    assert.deepEqual(sortedCodes(served), ['private_key_published']);
    assert.deepEqual(served.findings[0]!.detail!.members, ['k']);
    assert.ok(!JSON.stringify(served).includes(oct.k));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [oct] }));
    const local = await buildKeysReport({ source: join(dir, 'jwks.json'), now: NOW });
    assert.deepEqual(sortedCodes(local), []);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
