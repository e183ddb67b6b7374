/**
 * What a consumer of the npm package gets: the tarball `npm pack` makes,
 * installed into a fresh project, compiled by a strict `nodenext`
 * TypeScript consumer and run with plain node (no tsx), with and without
 * the optional peers (prom-client, express, fastify). Also which modules
 * the installed CLI loads: `decode` must load no YAML, schema, HTTP or
 * metrics code (an assertion on loaded modules, never on time).
 *
 * Needs the npm registry or the npm cache for the consumer's installs
 * (--prefer-offline: the repository's own `npm ci` filled the cache).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES_NOW_ISO, REPO } from './helpers/index.ts';
import { STRICT_CONSUMER_OPTIONS } from './helpers/strict_consumer.ts';

const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
const RECORDER = pathToFileURL(join(REPO, 'test/helpers/record_modules.mjs')).href;
const INSTALL = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

let dir = '';
let consumer = '';
let tarball = '';

/** The consumer's tsconfig: as strict as a careful user makes it; the package's own declarations are checked too. */
const TSCONFIG = {
  compilerOptions: {
    ...STRICT_CONSUMER_OPTIONS,
    skipLibCheck: false,
    outDir: 'out',
    // The second compile (with the peers) reuses the first's work on lib and @types/node.
    incremental: true,
  },
};

/** What the consumer's jwt-doctor/advanced part prints: the root's diagnosis again, from hand-imported keys. */
const ADVANCED = { result: 'claim_mismatch', signature: 'pass', ranked: 'claim_mismatch' };

/** Imports the entries that need no optional peer, uses each, prints what it found. */
const CORE_CONSUMER = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadContract, diagnose, decodeToken, type Diagnosis, type ReasonCode } from 'jwt-doctor';
import { probeApi, type ProbeReport } from 'jwt-doctor/probe';
import { checkRotation, type RotationCheckReport } from 'jwt-doctor/rotation';
import { buildDiagnoser, importJwks, rankResult, type KeyRecord } from 'jwt-doctor/advanced';

const root = dirname(createRequire(import.meta.url).resolve('jwt-doctor/package.json'));
const contract = loadContract(join(root, 'examples/auth-contract.yaml'));
const token = readFileSync(join(root, 'examples/tokens/local-login.jwt'), 'utf8').trim();
const staging = contract.environments['staging'];
if (staging === undefined) throw new Error('no staging environment');
const d: Diagnosis = await diagnose(token, staging, { contract, now: Date.parse('${EXAMPLES_NOW_ISO}') / 1000 });
const reasons: ReasonCode[] = d.findings.map((f) => f.code);
const decoded = decodeToken(token);
// The building blocks: the same diagnosis from keys imported by hand, ranked by the registry.
const jwks: unknown = JSON.parse(readFileSync(join(root, 'examples/keys/staging.jwks.json'), 'utf8'));
const keys: KeyRecord[] = importJwks(jwks, { kind: 'jwks_file', location: 'staging.jwks.json' }).keys;
const prepared = buildDiagnoser(staging, { keys }).diagnose(token, { now: Date.parse('${EXAMPLES_NOW_ISO}') / 1000 });
const advanced = { result: prepared.result, signature: prepared.signature.status, ranked: rankResult(d.findings) };
const probe: ((...a: Parameters<typeof probeApi>) => Promise<ProbeReport>) = probeApi;
const rotation: ((...a: Parameters<typeof checkRotation>) => RotationCheckReport) = checkRotation;
console.log(JSON.stringify({ result: d.result, signature: d.signature.status, reasons, decodes: decoded.findings.length === 0, probe: typeof probe, rotation: typeof rotation, advanced }));
`;

/** Adds the middleware entry, which needs the optional peers: verifies one request end to end. */
const FULL_CONSUMER = `${CORE_CONSUMER}
import { createVerifier, jwtDoctorExpress, jwtDoctorFastify, withJwtAuth, type VerifyOutcome } from 'jwt-doctor/middleware';
import { Registry } from 'prom-client';

const local = contract.environments['local'];
if (local === undefined) throw new Error('no local environment');
const registry = new Registry();
const verifier = createVerifier(local, { contract, registry, logger: false, now: () => new Date('${EXAMPLES_NOW_ISO}') });
const outcome: VerifyOutcome = await verifier.verify({ headers: { authorization: 'Bearer ' + token } });
const metrics = await registry.metrics();
verifier.close();
console.log(JSON.stringify({ verified: outcome.ok, counted: metrics.includes('jwt_auth_verified_total{'), adapters: [typeof jwtDoctorExpress, typeof jwtDoctorFastify, typeof withJwtAuth] }));
`;

/** The version of a dev dependency as installed here, so the consumer's install hits the npm cache. */
const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_yes: 'false', npm_config_update_notifier: 'false' },
  });
}

function compileAndRun(source: string): unknown[] {
  writeFileSync(join(consumer, 'main.ts'), source);
  const tsc = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: consumer, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `the strict nodenext consumer does not compile:\n${tsc.stdout}${tsc.stderr}`);
  const out = execFileSync(process.execPath, ['out/main.js'], { cwd: consumer, encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

/** Runs the installed CLI (node_modules/jwt-doctor/dist/cli.js) and lists the npm packages (yaml: the package's bundled copy too) and built-ins it loaded. */
function loadedBy(args: string[]): { code: number | null; packages: string[]; builtins: string[] } {
  const log = join(dir, `modules-${args[0]}.json`);
  const cli = join(consumer, 'node_modules/jwt-doctor/dist/cli.js');
  const r = spawnSync(process.execPath, ['--import', RECORDER, cli, ...args], {
    cwd: consumer,
    encoding: 'utf8',
    env: { ...process.env, JWT_DOCTOR_MODULE_LOG: log },
  });
  const loaded = JSON.parse(readFileSync(log, 'utf8')) as { files: string[]; packages: string[]; builtins: string[] };
  const bundledYaml = loaded.files.some((f) => f.endsWith('/jwt-doctor/dist/vendor/yaml.cjs'));
  return { code: r.status, packages: [...loaded.packages, ...(bundledYaml ? ['yaml'] : [])], builtins: loaded.builtins };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-pack-'));
  // npm pack runs "prepare" (scripts/build.mjs): dist/ and dist/types as published.
  npm(['pack', '--pack-destination', dir, '--loglevel=error'], REPO);
  tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
  );
  consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  // No optional peer: npm installs optional peers only when asked.
  npm(['install', tarball, `@types/node@${installedVersion('@types/node')}`, ...INSTALL], consumer);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball ships the built package, not the sources or the dev tooling', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const f of [
    'package/dist/cli.js',
    'package/dist/index.js',
    'package/dist/types/index.d.ts',
    'package/dist/advanced.js',
    'package/dist/types/advanced.d.ts',
    'package/dist/types/middleware/index.d.ts',
    'package/LICENSE',
    'package/README.md',
    'package/dist/vendor/yaml.cjs',
    'package/dist/vendor/yaml.LICENSE',
    'package/dist/ui/index.html',
    'package/dist/ui/app.js',
    'package/dist/ui/app.css',
    'package/examples/auth-contract.yaml',
  ]) {
    assert.ok(files.includes(f), `${f} is missing from the tarball`);
  }
  assert.deepEqual(
    files.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/')),
    [],
  );
  const installed = readdirSync(join(consumer, 'node_modules'));
  for (const devOnly of ['tsx', 'esbuild', 'ajv', 'yaml', 'prom-client', 'express', 'fastify'])
    assert.ok(!installed.includes(devOnly), `${devOnly} was installed with the package`);
});

test('without the optional peers: a strict nodenext consumer of the root, advanced, probe and rotation entries compiles and runs', () => {
  assert.deepEqual(compileAndRun(CORE_CONSUMER), [
    {
      result: 'claim_mismatch',
      signature: 'pass',
      reasons: ['issuer_mismatch', 'audience_mismatch'],
      decodes: true,
      probe: 'function',
      rotation: 'function',
      advanced: ADVANCED,
    },
  ]);
});

test('without the optional peers: npx jwt-doctor --version prints the package version, and diagnose runs', () => {
  assert.equal(npm(['exec', '--', 'jwt-doctor', '--version'], consumer).trim(), PKG.version);
  assert.equal(
    execFileSync('npx', ['jwt-doctor', '--version'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, npm_config_yes: 'false' },
    }).trim(),
    PKG.version,
  );
  const r = spawnSync(
    'npx',
    [
      'jwt-doctor',
      'diagnose',
      'node_modules/jwt-doctor/examples/tokens/local-login.jwt',
      '--contract',
      'node_modules/jwt-doctor/examples/auth-contract.yaml',
      '--env',
      'staging',
      '--now',
      EXAMPLES_NOW_ISO,
      '--format',
      'json',
    ],
    { cwd: consumer, encoding: 'utf8' },
  );
  assert.equal(r.status, 1, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { result: string }).result, 'claim_mismatch');
});

test('without prom-client: the middleware entry loads, verifies with registry: false, and names the missing peer otherwise', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadContract } from 'jwt-doctor';
    import { createVerifier } from 'jwt-doctor/middleware';
    const root = 'node_modules/jwt-doctor/';
    const contract = loadContract(root + 'examples/auth-contract.yaml');
    const token = readFileSync(root + 'examples/tokens/local-login.jwt', 'utf8').trim();
    const options = { contract, logger: false, now: () => new Date('${EXAMPLES_NOW_ISO}') };
    const verifier = createVerifier(contract.environments.local, { ...options, registry: false });
    const outcome = await verifier.verify({ headers: { authorization: 'Bearer ' + token } });
    let missing;
    try { createVerifier(contract.environments.local, options); } catch (e) { missing = e.code; }
    console.log(JSON.stringify({ verified: outcome.ok, missing }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { verified: true, missing: 'ERR_JWT_DOCTOR_MISSING_PEER' });
});

test('decode loads no YAML, schema, HTTP or metrics code; diagnose with a contract loads the YAML parser only', () => {
  const token = readFileSync(join(REPO, 'examples/tokens/local-login.jwt'), 'utf8').trim();
  const decode = loadedBy(['decode', token, '--now', EXAMPLES_NOW_ISO]);
  assert.equal(decode.code, 0);
  for (const heavy of ['yaml', 'ajv', 'prom-client']) assert.ok(!decode.packages.includes(heavy), `decode loaded ${heavy}`);
  for (const http of ['http', 'https', 'http2', '_http_client', 'internal/deps/undici/undici'])
    assert.ok(!decode.builtins.includes(http), `decode loaded node:${http}`);
  // The recorder sees what it should: the contract path loads yaml and ajv.
  const contract = join(consumer, 'node_modules/jwt-doctor/examples/auth-contract.yaml');
  const diagnose = loadedBy(['diagnose', token, '--contract', contract, '--env', 'staging', '--now', EXAMPLES_NOW_ISO]);
  assert.equal(diagnose.code, 1);
  assert.ok(diagnose.packages.includes('yaml'), `diagnose loaded ${diagnose.packages.join(', ')}`);
  // The schema is compiled at build time (scripts/make-contract-validator.ts): no ajv at run time.
  for (const heavy of ['ajv', 'prom-client']) assert.ok(!diagnose.packages.includes(heavy), `diagnose loaded ${heavy}`);
});

test('with the optional peers installed: every entry, the middleware included, compiles under strict nodenext and verifies a request', () => {
  const peers = ['prom-client', 'express', 'fastify', '@types/express'].map((p) => `${p}@${installedVersion(p)}`);
  npm(['install', ...peers, ...INSTALL], consumer);
  const [core, full] = compileAndRun(FULL_CONSUMER);
  assert.deepEqual(core, {
    result: 'claim_mismatch',
    signature: 'pass',
    reasons: ['issuer_mismatch', 'audience_mismatch'],
    decodes: true,
    probe: 'function',
    rotation: 'function',
    advanced: ADVANCED,
  });
  assert.deepEqual(full, { verified: true, counted: true, adapters: ['function', 'function', 'function'] });
});
