/**
 * `jwt-doctor probe-server` as a real child process: it listens on
 * 127.0.0.1, answers the echo, and stops on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { EchoReport } from '../../../src/probe/echo_handler.ts';
import { fingerprintToken } from '../../../src/probe/fingerprint.ts';
import { sendRequest } from '../../../src/probe/send_request.ts';
import { REPO, runCli } from '../../helpers/cli.ts';
import { webToken } from '../../probe/fixtures.ts';

test('probe-server: listens, echoes fingerprints under any prefix, 404 elsewhere, exits 0 on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `${REPO}src/cli/main.ts`, 'probe-server', '--port', '0', '--header', 'x-auth-token'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`probe-server did not start: ${out}`)), 20_000);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const token = webToken();
    const r = await sendRequest(`${url}/api/v2/.well-known/jwt-doctor/echo`, {
      headers: { authorization: `Bearer ${token}`, 'x-auth-token': 'opaque' },
      timeoutMs: 2000,
    });
    assert.ok(r.ok);
    const echo = JSON.parse(r.body) as EchoReport;
    assert.equal(echo.headers.find((h) => h.name === 'authorization')!.token!.sha256, fingerprintToken(token));
    assert.ok(echo.headers.some((h) => h.name === 'x-auth-token'));
    assert.ok(!r.body.includes(token));
    const other = await sendRequest(`${url}/v1/me`, { timeoutMs: 2000 });
    assert.equal(other.ok && other.status, 404);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});

test('probe-server: a bad port is a usage error (exit 2)', async () => {
  const r = await runCli(['probe-server', '--port', '70000']);
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stderr, /^\s{4}at /m);
});
