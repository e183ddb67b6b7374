/**
 * The local token sources: a command (argv without a shell, or sh -c),
 * a static token from a variable or a file, and mint. Real processes,
 * real files; the command's timeout and output cap bound every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract } from '../../src/contract/load.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { obtainToken, type ObtainResult } from '../../src/obtain/obtain_token.ts';
import { ContractError, ProductionRefusedError } from '../../src/errors.ts';
import { claimsAt, makeKey, signJws } from '../helpers/mint.ts';

const NOW = 1_795_874_700;
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-obtain-'));
const key = makeKey('HS256', { kid: 'k1' });
const TOKEN = signJws(key, claimsAt(NOW, { iss: 'https://auth.staging.example.com', aud: 'orders' }));
writeFileSync(join(dir, 'token.txt'), `${TOKEN}\n`);
const node = (script: string, ...args: string[]) => [process.execPath, '-e', script, ...args];
const marker = join(dir, 'injected');
const vars = { STATIC_TOKEN: TOKEN, SIGNING_SECRET: key.secret!.toString('base64url') };

const secretKey = { secret: { env: 'SIGNING_SECRET', encoding: 'base64url' }, kid: 'k1' };
const staging = {
  issuer: 'https://auth.staging.example.com',
  audience: 'orders',
  algorithms: ['HS256'],
  keys: [secretKey],
  signer: secretKey,
};
const client = (obtain: unknown) => ({ obtain });
const contract = loadContract(
  {
    environments: {
      staging: {
        ...staging,
        obtain: { command: node('process.stdout.write(process.argv[1] + "\\n")', TOKEN) },
        clients: {
          json: client({ command: `printf '{"access_token":"%s","expires_in":300}' "${TOKEN}"` }),
          fails: client({ command: node('process.exit(3)') }),
          hangs: client({ command: 'sleep 30', timeoutMs: 200 }),
          chatty: client({ command: node('process.stdout.write("x".repeat(100000))'), maxBytes: 1024 }),
          missing: client({ command: ['jwt-doctor-no-such-command'] }),
          words: client({ command: ['echo', 'a', 'b'] }),
          literal: client({ command: node('process.stdout.write(process.argv[1])', `$(touch ${marker})`) }),
          envStatic: client({ static: { env: 'STATIC_TOKEN' } }),
          fileStatic: client({ static: { file: 'token.txt' } }),
          noFile: client({ static: { file: 'nope.txt' } }),
          minted: client({ mint: true }),
          faulty: client({ mint: { fault: 'audience_mismatch' } }),
        },
      },
      prod: { ...staging, production: true, obtain: { mint: true } },
    },
  },
  { baseDir: dir, vars },
);

const get = (c?: string, extra: Record<string, unknown> = {}): Promise<ObtainResult> =>
  obtainToken(contract, 'staging', { now: NOW, vars, ...(c !== undefined ? { client: c } : {}), ...extra });
const failure = async (c: string) => {
  const r = await get(c);
  assert.equal(r.ok, false, c);
  return r.ok ? undefined : r.finding;
};

test('a command as an argv list (no shell) and as sh -c printing a token response', async () => {
  const argv = await get();
  assert.deepEqual(argv.ok && { token: argv.token, source: argv.source, obtainedAt: argv.obtainedAt }, {
    token: TOKEN,
    source: 'command',
    obtainedAt: NOW,
  });
  const json = await get('json');
  assert.deepEqual(json.ok && { token: json.token, expiresIn: json.expiresIn }, { token: TOKEN, expiresIn: 300 });
});

test('an argv element is never interpreted by a shell', async () => {
  // Printed back as the two words it is, not run.
  const f = await failure('literal');
  assert.deepEqual([f?.code, f?.detail?.error], ['token_command_failed', 'not_one_token']);
  assert.equal(existsSync(marker), false);
});

test('a command that fails, hangs, floods stdout, does not exist or prints words: token_command_failed with the kind', async () => {
  const kinds: Record<string, string> = {
    fails: 'exit_status',
    hangs: 'timeout',
    chatty: 'too_large',
    missing: 'not_found',
    words: 'not_one_token',
  };
  for (const [c, kind] of Object.entries(kinds)) {
    const f = await failure(c);
    assert.equal(f?.code, 'token_command_failed', c);
    assert.equal(f?.detail?.error, kind, c);
  }
  assert.equal((await failure('fails'))?.detail?.exitCode, 3);
});

test('a static token from a variable or a file; a missing file is a contract error', async () => {
  for (const c of ['envStatic', 'fileStatic']) {
    const r = await get(c);
    assert.deepEqual(r.ok && [r.token, r.source], [TOKEN, 'static'], c);
  }
  await assert.rejects(
    get('noFile'),
    (e: unknown) =>
      e instanceof ContractError && e.path === 'environments.staging.clients.noFile.obtain.static' && !e.message.includes(TOKEN),
  );
});

test('mint as a token source: valid, or with the fault it names; production refused without allowProduction', async () => {
  const d = await createDiagnoser(contract.environments.staging!, { contract, vars });
  const minted = await get('minted');
  assert.equal(minted.ok && d.diagnose(minted.token, { now: NOW }).result, 'valid');
  const faulty = await get('faulty');
  assert.equal(faulty.ok && d.diagnose(faulty.token, { now: NOW }).findings[0]?.code, 'audience_mismatch');
  await assert.rejects(
    obtainToken(contract, 'prod', { now: NOW, vars }),
    (e: unknown) => e instanceof ProductionRefusedError && e.exitCode === 2,
  );
  const allowed = await obtainToken(contract, 'prod', { now: NOW, vars, allowProduction: true });
  assert.equal(allowed.ok, true);
});
