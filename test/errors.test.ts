/**
 * The one error hierarchy (src/errors.ts): every class's code and exit
 * code, instanceof through the base class, the classes being the very ones
 * the modules throw (the old import paths included), the root `errors`
 * export, and every code documented with its exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errors, loadContract } from '../src/index.ts';
import { importJwk } from '../src/advanced.ts';
import { ContractError as ContractErrorFromLoad } from '../src/contract/load.ts';
import { KeyImportError as KeyImportErrorFromImport } from '../src/keys/import.ts';
import { UsageError as UsageErrorFromCli } from '../src/cli/common.ts';
import { resolveExpectations } from '../src/cli/common.ts';

const { JwtDoctorError, UsageError, ContractError, KeyImportError, NetworkError, EXIT } = errors;

const CASES = [
  { make: () => new UsageError('bad flag'), cls: UsageError, code: 'ERR_USAGE', exitCode: 2 },
  {
    make: () => new ContractError('c.yaml', 'environments.prod.issuer', 'a string', '42'),
    cls: ContractError,
    code: 'ERR_CONTRACT_INVALID',
    exitCode: 2,
  },
  { make: () => new KeyImportError('JWK lacks "n"'), cls: KeyImportError, code: 'ERR_KEY_IMPORT', exitCode: 2 },
  {
    make: () => new NetworkError('no answer', 'https://auth.example.com/jwks.json', 'timeout'),
    cls: NetworkError,
    code: 'ERR_NETWORK',
    exitCode: 1,
  },
  { make: () => new JwtDoctorError('unforeseen'), cls: JwtDoctorError, code: 'ERR_UNEXPECTED', exitCode: 70 },
] as const;

test('each error class has its own code (on the class and the instance), exit code and name', () => {
  for (const c of CASES) {
    const e = c.make();
    assert.equal(e.code, c.code, c.cls.name);
    assert.equal(c.cls.code, c.code, `${c.cls.name}.code`);
    assert.equal(e.exitCode, c.exitCode, c.cls.name);
    assert.equal(e.name, c.cls.name);
    assert.ok(e instanceof JwtDoctorError && e instanceof Error, c.cls.name);
    assert.ok(typeof e.stack === 'string');
  }
  assert.equal(new Set(CASES.map((c) => c.code)).size, CASES.length, 'codes are distinct');
  // Subclasses are not one another.
  assert.equal(new UsageError('x') instanceof ContractError, false);
  assert.equal(new ContractError('f', 'p', 'e', 'f') instanceof UsageError, false);
});

test('exit codes: 0 ok, 1 a finding, 2 usage or contract error, 70 a defect', () => {
  assert.deepEqual({ ...EXIT }, { ok: 0, fail: 1, usage: 2, software: 70 });
});

test('a contract error keeps its field path; a network error its URL; causes are kept', () => {
  const c = new ContractError('c.yaml', 'environments.prod.issuer', 'a string', '42');
  assert.deepEqual([c.file, c.path, c.expected, c.found], ['c.yaml', 'environments.prod.issuer', 'a string', '42']);
  assert.match(c.message, /environments\.prod\.issuer/);
  const cause = new Error('ECONNREFUSED');
  const n = new NetworkError('no answer', 'https://auth.example.com/jwks.json', 'refused', { cause });
  assert.equal(n.url, 'https://auth.example.com/jwks.json');
  assert.equal(n.reason, 'refused');
  assert.equal(n.cause, cause);
});

test('the classes the modules throw are the hierarchy (old import paths included)', () => {
  assert.equal(ContractErrorFromLoad, ContractError);
  assert.equal(KeyImportErrorFromImport, KeyImportError);
  assert.equal(UsageErrorFromCli, UsageError);
  // importJwk throws the exported KeyImportError (it was never exported before).
  assert.throws(
    () => importJwk({ kty: 'RSA', e: 'AQAB' }, { kind: 'jwk' }),
    (e: unknown) => e instanceof KeyImportError && e.code === 'ERR_KEY_IMPORT' && e.exitCode === 2,
  );
  assert.throws(
    () => loadContract({ environments: { prod: { issuer: 42 } } }),
    (e: unknown) => e instanceof ContractError && e.code === 'ERR_CONTRACT_INVALID' && e.path === 'environments.prod.issuer',
  );
  assert.throws(
    () => resolveExpectations({ now: 'yesterday' }),
    (e: unknown) => e instanceof UsageError && e.code === 'ERR_USAGE' && e.exitCode === 2,
  );
});

test('every error code is documented with its exit code in docs/cli-input.md', () => {
  const doc = readFileSync(new URL('../docs/cli-input.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('## Exit codes'));
  for (const c of CASES) {
    const row = table.split('\n').find((l) => l.startsWith(`| ${c.exitCode} |`));
    assert.ok(row?.includes(`\`${c.code}\``), `the exit code ${c.exitCode} row names ${c.code}`);
  }
});
