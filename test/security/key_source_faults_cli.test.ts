/**
 * JWKS and discovery fault matrix, CLI half (issue 8, item 5), against real
 * servers on 127.0.0.1: the CLI (a subprocess: diagnose, keys) reports each
 * fault with its code, and no forged token (keyed with a published secret
 * or private key, or with the keys of an origin a redirect points to) is
 * ever accepted. Fixtures: key_source_faults.fixtures.ts; the middleware
 * half: key_source_faults_middleware.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, hasStackTrace } from '../helpers/cli.ts';
import {
  assertDetail,
  ctx,
  diagnoseCli,
  FAULTS,
  faultContract,
  FORGED,
  HUGE_BYTES,
  hugeSent,
  LEGIT,
  ofSource,
  OWNER,
  parsed,
  TIMEOUT_MS,
  useFaultServers,
  writeContract,
  type DiagnosisJson,
} from './key_source_faults.fixtures.ts';

useFaultServers();

test('CLI diagnose: every fault is a finding with its code and source, exit 1, no stack trace', { timeout: 60_000 }, async () => {
  const r = await diagnoseCli(LEGIT, faultContract());
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.equal(r.code, 1);
  const d = parsed(r);
  for (const f of FAULTS) {
    const finding = ofSource(d, f);
    assertDetail(finding, f.detail!(ctx.s.url), f.name);
    const owner = OWNER[f.path.slice(1)];
    if (owner) assert.equal(finding!.owner, owner, `${f.name}: owner`);
  }
  assert.notEqual(d.signature.status, 'pass', 'no key of any faulty source verified anything');
  // The 100 MB body was cut at the cap: the server could hand over only what the client read.
  assert.ok(hugeSent.length > 0 && hugeSent.every((n) => n < HUGE_BYTES), `bytes sent: ${hugeSent.join(', ')}`);
});

test('CLI diagnose: no forged token is accepted, even next to a good key source', { timeout: 60_000 }, async () => {
  // The good source next to every fault that hands an attacker a key (the others never yield one).
  const contract = writeContract('faults-and-good', [
    { jwksUri: `${ctx.s.url}/good.json` },
    ...FAULTS.filter((f) => f.forged).map((f) => ({ jwksUri: `${ctx.s.url}${f.path}` })),
  ]);
  await Promise.all(
    Object.entries(FORGED).map(async ([name, token]) => {
      const r = await diagnoseCli(token, contract);
      assert.equal(r.code, 1, name);
      const d = parsed(r);
      assert.notEqual(d.result, 'valid', name);
      assert.notEqual(d.signature.status, 'pass', `${name}: no trusted key verifies the forged signature`);
    }),
  );
  const legit = writeContract('good', [{ jwksUri: `${ctx.s.url}/good.json` }]);
  const ok = await diagnoseCli(LEGIT, legit);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(parsed(ok).result, 'valid', 'the legitimate token, through the good set: the faults were the only difference');
});

test('CLI keys: the same codes, from the same trust rules', { timeout: 60_000 }, async () => {
  const r = await runCli(['keys', '--contract', faultContract(), '--env', 'prod', '--timeout', String(TIMEOUT_MS), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: DiagnosisJson['findings'] };
  for (const f of FAULTS) {
    const { excluded: _excluded, ...want } = f.detail!(ctx.s.url);
    const finding = report.findings.find(
      (x) =>
        x.code === f.code &&
        x.severity === 'error' &&
        (x.detail?.location === `${ctx.s.url}${f.path}` || x.detail?.url === `${ctx.s.url}${f.path}`),
    );
    assertDetail(finding, want, f.name);
  }
});

test(
  'CLI discovery: a document naming another issuer is not used (both values reported); a redirect off origin is refused',
  { timeout: 60_000 },
  async () => {
    const [r, hopRun, okRun] = await Promise.all([
      diagnoseCli(FORGED.attacker, writeContract('liar', [{ discovery: `${ctx.s.url}/liar` }])),
      diagnoseCli(FORGED.attacker, writeContract('hop', [{ discovery: `${ctx.s.url}/hop` }])),
      diagnoseCli(LEGIT, writeContract('idp', [{ discovery: `${ctx.s.url}/idp` }])),
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const d = parsed(r);
    assert.equal(d.result, 'discovery_issuer_mismatch');
    const f = d.findings.find((x) => x.code === 'discovery_issuer_mismatch')!;
    assert.deepEqual([f.expected, f.actual], [`${ctx.s.url}/liar`, 'https://evil.example']);
    assert.equal(ctx.s.counts.get('/evil.json') ?? 0, 0, "the lying document's jwks_uri is never fetched");
    const h = parsed(hopRun);
    assert.equal(h.result, 'jwks_unreachable');
    assertDetail(
      h.findings.find((x) => x.code === 'jwks_unreachable'),
      { error: 'redirect', redirect: `${ctx.evil.url}/.well-known/openid-configuration`, stage: 'discovery' },
      'discovery redirect',
    );
    assert.equal(parsed(okRun).result, 'valid', okRun.stdout);
  },
);

test(
  'contract opt-in: redirects: same-origin follows a same-origin hop, never one to another origin; other values are contract errors',
  { timeout: 60_000 },
  async () => {
    const [a, bRun, c] = await Promise.all([
      diagnoseCli(LEGIT, writeContract('same', [{ jwksUri: `${ctx.s.url}/redirect-same`, redirects: 'same-origin' }])),
      diagnoseCli(FORGED.attacker, writeContract('cross', [{ jwksUri: `${ctx.s.url}/redirect-cross`, redirects: 'same-origin' }])),
      diagnoseCli(LEGIT, writeContract('any', [{ jwksUri: `${ctx.s.url}/redirect-cross`, redirects: 'any' }])),
    ]);
    assert.equal(parsed(a).result, 'valid', a.stdout);
    const b = parsed(bRun);
    assert.equal(b.result, 'jwks_unreachable');
    assertDetail(
      b.findings.find((x) => x.code === 'jwks_unreachable'),
      { error: 'redirect', redirect: `${ctx.evil.url}/jwks.json` },
      'cross-origin with opt-in',
    );
    assert.equal(c.code, 2, c.stdout + c.stderr);
    assert.equal(hasStackTrace(c.stderr), false);
  },
);
