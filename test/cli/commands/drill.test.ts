/**
 * `jwt-doctor drill` from the command line: the production guard, the
 * usage errors (exit 2, one line, no stack trace), the three formats of a
 * passing run against jwt-doctor's middleware, and that no output ever
 * carries the signer key or a token.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DrillReport } from '../../../src/drill/types.ts';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { AUD, ISS, signerFiles, startSecureApi, writeContract, type Running, type SignerFiles } from '../../drill/helpers.ts';

let files: SignerFiles;
let api: Running;
let contractPath: string;

before(async () => {
  files = signerFiles('cli-k1');
  api = await startSecureApi(
    { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], clockToleranceSeconds: 5, keys: [{ jwk: files.publicJwk }] },
    { offloadSignatures: false },
  );
  const env = {
    issuer: ISS,
    audience: AUD,
    algorithms: ['RS256'],
    clockToleranceSeconds: 5,
    keys: [{ jwk: files.publicJwk }],
    api: { baseUrl: api.url, routes: ['/v1/me'] },
  };
  contractPath = writeContract(files.dir, { staging: env, prod: { ...env, production: true } }).path;
});

after(async () => {
  await api?.close();
  files?.cleanup();
});

const drill = (...args: string[]) => runCli(['drill', '--contract', contractPath, ...args]);

test('an environment marked production: true is refused without --i-know (exit 2), and drilled with it', async () => {
  const refused = await drill('--env', 'prod', '--scenario', 'skew', '--signer-key', files.keyPath, '--signer-kid', 'cli-k1');
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /--i-know/);
  assert.equal(hasStackTrace(refused.stderr), false);
  const allowed = await drill('--env', 'prod', '--scenario', 'skew', '--signer-key', files.keyPath, '--signer-kid', 'cli-k1', '--i-know');
  assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
});

test('usage errors are exit 2 with one line: no signer, unknown scenario, bad --listen, unreadable key', async () => {
  const cases = [
    ['--env', 'staging', '--scenario', 'attacks'],
    ['--env', 'staging', '--scenario', 'earthquake', '--signer-key', files.keyPath],
    ['--env', 'staging', '--scenario', 'attacks', '--signer-key', files.keyPath, '--listen', 'nowhere'],
    ['--env', 'staging', '--scenario', 'attacks', '--signer-key', `${files.dir}/missing.pem`],
    ['--env', 'staging', '--scenario', 'attacks', '--signer-secret', 'JWT_DOCTOR_DRILL_UNSET_VAR'],
    ['--env', 'nowhere', '--scenario', 'attacks', '--signer-key', files.keyPath],
  ];
  const results = await Promise.all(cases.map((args) => drill(...args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i]!.join(' ')}: ${r.stderr}`);
    assert.equal(hasStackTrace(r.stderr), false);
  });
});

test('every drill but rotation against the middleware: exit 0 in text, json and markdown; no key or token in any output', async () => {
  const base = ['--env', 'staging', '--scenario', 'header-strip,skew,attacks', '--signer-key', files.keyPath, '--signer-kid', 'cli-k1'];
  const text = await drill(...base);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^header_strip = pass /m);
  assert.match(text.stdout, /^skew_boundary = exp 5 s, nbf 5 s, iat 5 s \(tolerance 5 s\)$/m);
  assert.match(text.stdout, /^attacks = pass /m);
  assert.match(text.stdout, /^status = ready$/m);
  const json = await drill(...base, '--format', 'json');
  const report = JSON.parse(json.stdout) as DrillReport;
  assert.equal(report.schema, 'jwt-doctor/drill/v1');
  assert.deepEqual(
    report.drills.map((d) => [d.scenario, d.ready]),
    [
      ['header-strip', true],
      ['skew', true],
      ['attacks', true],
    ],
  );
  const md = await drill(...base, '--format', 'markdown');
  assert.equal(md.code, 0);
  assert.match(md.stdout, /^## attacks: pass$/m);
  const pem = readFileSync(files.keyPath, 'utf8').split('\n')[1]!;
  for (const out of [text.stdout, json.stdout, md.stdout, text.stderr]) {
    assert.equal(out.includes(pem), false, 'the signer key never appears');
    assert.equal(/eyJ[\w-]+\.[\w-]+\./.test(out), false, 'no token appears');
  }
});
