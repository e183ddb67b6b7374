/**
 * The public API is reviewed, and tiered (issue 10 item 6): api/*.api.md is
 * what the code exports (scripts/api-report.ts, from the declarations tsc
 * emits), the root entry is the task-level API, the building blocks are in
 * jwt-doctor/advanced only, and every entry of package.json "exports" is
 * built (scripts/build.mjs) and declared (tsconfig.build.json).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { buildApiReport, changedReportFiles, publicEntries, renderReport, type EntryReport } from '../scripts/api-report.ts';
import { REPO } from './helpers/cli.ts';

let reports: EntryReport[] = [];
const entry = (name: string): EntryReport => {
  const r = reports.find((e) => e.entry === name);
  assert.ok(r, `no entry ${name} in package.json exports`);
  return r;
};
const values = (name: string): string[] =>
  entry(name)
    .exports.filter((e) => e.kind !== 'type')
    .map((e) => e.name);
const names = (name: string): string[] => entry(name).exports.map((e) => e.name);

before(() => {
  reports = buildApiReport();
});

test('api/*.api.md is what the code exports: a change to the public API is reviewed (node --import tsx scripts/api-report.ts --write)', () => {
  const changed = changedReportFiles(reports);
  for (const file of changed) {
    const r = reports.find((e) => e.file === file);
    let current = '';
    try {
      current = readFileSync(join(REPO, file), 'utf8');
    } catch {
      // missing: reported below
    }
    // The first differing line, so the failure says what changed.
    const want = r ? renderReport(r).split('\n') : [];
    const have = current.split('\n');
    const at = want.findIndex((line, i) => line !== have[i]);
    assert.fail(
      `${file} is stale or unknown${r ? `; first difference at line ${at + 1}:\n  report: ${have[at] ?? '(end)'}\n  code:   ${want[at] ?? '(end)'}` : ''}\nReview the API change, then run: node --import tsx scripts/api-report.ts --write`,
    );
  }
  assert.deepEqual(changed, []);
});

test('the report reads the emitted declarations: kinds and signatures of known names', () => {
  const root = entry('jwt-doctor').exports;
  const diagnose = root.find((e) => e.name === 'diagnose');
  assert.equal(diagnose?.kind, 'function');
  assert.match(diagnose.text, /^function diagnose\(token: string, expectations: Expectations, options\?: .*\): Promise<Diagnosis>;$/);
  assert.equal(root.find((e) => e.name === 'Diagnosis')?.kind, 'type');
  assert.equal(root.find((e) => e.name === 'REASONS')?.kind, 'value');
  assert.match(root.find((e) => e.name === 'REASONS')!.text, /^const REASONS: \{\n[^]*\breadonly issuer_mismatch: ReasonEntry;\n/);
  // The error classes: ContractError until src/errors.ts lands (branch i10-cli), then the errors namespace.
  const errors = root.find((e) => e.name === 'errors');
  if (errors === undefined) assert.equal(root.find((e) => e.name === 'ContractError')?.kind, 'class');
  else assert.equal(errors.kind, 'namespace');
});

test('the root entry is the task-level API: about 20 values, the building blocks are not among them', () => {
  const root = values('jwt-doctor');
  assert.ok(root.length >= 15 && root.length <= 25, `the root exports ${root.length} values: ${root.join(', ')}`);
  for (const task of [
    'loadContract',
    'createDiagnoser',
    'diagnose',
    'matchEnvironments',
    'decodeToken',
    'REASONS',
    'formatDiagnosisText',
    'formatDiagnosisJson',
    'formatDiagnosisMarkdown',
    'sanitizeDiagnosis',
    'DEFAULT_MAX_TOKEN_BYTES',
    'MAX_JSON_DEPTH',
  ]) {
    assert.ok(root.includes(task), `the root does not export ${task}`);
  }
  for (const block of [
    'fetchJson',
    'makeFinding',
    'rankResult',
    'buildDiagnoser',
    'importJwk',
    'importJwks',
    'resolveKeys',
    'normalizeTokenInput',
    'ALGORITHMS',
  ]) {
    assert.ok(!root.includes(block), `${block} is a building block: jwt-doctor/advanced, not the root`);
    assert.ok(values('jwt-doctor/advanced').includes(block), `jwt-doctor/advanced does not export ${block}`);
  }
});

test('the tiers do not overlap: no value is exported by both the root and jwt-doctor/advanced', () => {
  const root = new Set(values('jwt-doctor'));
  assert.deepEqual(
    values('jwt-doctor/advanced').filter((n) => root.has(n)),
    [],
  );
});

test("the front-end entries keep their task-level functions and no longer export the verifier's and probe's parts", () => {
  const middleware = names('jwt-doctor/middleware');
  for (const name of [
    'createVerifier',
    'withJwtAuth',
    'jwtDoctorExpress',
    'jwtDoctorFastify',
    'createJsonLineLogger',
    'createSignerMetrics',
    'VerifierOptions',
    'Rejection',
  ])
    assert.ok(middleware.includes(name), `middleware lost ${name}`);
  for (const name of ['JwksCache', 'extractToken', 'challengeFor', 'answerSpecialPath', 'rejectionReason'])
    assert.ok(!middleware.includes(name), `middleware still exports ${name}`);
  const probe = names('jwt-doctor/probe');
  for (const name of [
    'probeApi',
    'createEchoHandler',
    'measureClockOffset',
    'parseWwwAuthenticate',
    'parseHeaderDump',
    'checkHeaderDump',
    'readApiConfig',
  ])
    assert.ok(probe.includes(name), `probe lost ${name}`);
  for (const name of ['sendRequest', 'fingerprintToken', 'mapVerifierMessage'])
    assert.ok(!probe.includes(name), `probe still exports ${name}`);
  const rotation = names('jwt-doctor/rotation');
  for (const name of [
    'checkRotation',
    'checkOverlap',
    'checkRetirement',
    'loadKeyMaterials',
    'readVerifierKeys',
    'compareEnvironments',
    'diffContracts',
  ])
    assert.ok(rotation.includes(name), `rotation lost ${name}`);
});

test('every entry of package.json "exports" is built by scripts/build.mjs and declared by tsconfig.build.json', () => {
  const build = readFileSync(join(REPO, 'scripts/build.mjs'), 'utf8');
  const tsconfig = ts.parseConfigFileTextToJson('tsconfig.build.json', readFileSync(join(REPO, 'tsconfig.build.json'), 'utf8')).config as {
    files: string[];
  };
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types: string; default: string }>;
  };
  for (const e of publicEntries()) {
    assert.ok(tsconfig.files.includes(e.source), `tsconfig.build.json "files" lacks ${e.source}`);
    const subpath = e.entry === 'jwt-doctor' ? '.' : `./${e.entry.slice('jwt-doctor/'.length)}`;
    const target = pkg.exports[subpath];
    assert.ok(typeof target === 'object', `exports ${subpath} has no conditions`);
    const bundle = target.default.match(/^\.\/dist\/(.+)\.js$/)?.[1];
    assert.ok(
      bundle && new RegExp(`\\b${bundle}: '${e.source}'`).test(build),
      `scripts/build.mjs has no entry point ${bundle}: '${e.source}'`,
    );
  }
  assert.deepEqual(reports.map((r) => r.entry).sort(), [
    'jwt-doctor',
    'jwt-doctor/advanced',
    'jwt-doctor/middleware',
    'jwt-doctor/probe',
    'jwt-doctor/rotation',
  ]);
});
