import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hasStackTrace, NOW_ISO, runCli } from '../../helpers/index.ts';
import type { TriageReport } from '../../../src/triage/report.ts';
import { CONTRACT_YAML, EXTERNAL, gzip, leaksToken, MIXED_COUNTS, mixedLog, tempDir } from '../../triage/fixtures.ts';

const NOW_FLAG = ['--now', NOW_ISO];

async function withLogs(fn: (t: ReturnType<typeof tempDir>, c: string[]) => Promise<void>): Promise<void> {
  const t = tempDir();
  try {
    await fn(t, ['--contract', t.file('auth-contract.yaml', CONTRACT_YAML), '--env', 'staging', ...NOW_FLAG]);
  } finally {
    t.close();
  }
}

test('triage FILE --format json: the counts, no token anywhere, no progress line when piped', () =>
  withLogs(async (t, c) => {
    const r = await runCli(['triage', t.file('a.log', mixedLog()), ...c, '--format', 'json', '--mark', NOW_ISO]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as TriageReport;
    assert.equal(report.schema, 'jwt-doctor/triage/v1');
    assert.deepEqual(report.lines, MIXED_COUNTS.lines);
    assert.deepEqual(report.by.reason, MIXED_COUNTS.reason);
    assert.deepEqual(report.badInput, MIXED_COUNTS.badInput);
    assert.deepEqual(
      report.residualKids.map((k) => k.kid),
      ['hs-old'],
    );
    assert.ok(!leaksToken(r.stdout));
  }));

test('triage - reads stdin; the text table and its examples carry no token', () =>
  withLogs(async (_t, c) => {
    const r = await runCli(['triage', '-', ...c], { input: mixedLog() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^token_expired\s+21\s/m);
    assert.match(r.stdout, /^examples \(sanitized/m);
    assert.ok(!leaksToken(r.stdout + r.stderr));
  }));

test('--workers 2 on a gzip file gives the report of one thread; --html writes a self-contained file without tokens', () =>
  withLogs(async (t, c) => {
    const file = t.file('big.log.gz', gzip(mixedLog().repeat(40)));
    const html = `${t.dir}/triage.html`;
    const one = await runCli(['triage', file, ...c, '--format', 'json']);
    const two = await runCli(['triage', file, ...c, '--format', 'json', '--workers', '2', '--html', html]);
    assert.equal(two.code, 0, two.stderr);
    const [a, b] = [JSON.parse(one.stdout) as TriageReport, JSON.parse(two.stdout) as TriageReport];
    assert.deepEqual(b.by, a.by);
    assert.deepEqual(b.lines, a.lines);
    assert.deepEqual(b.reasonsOverTime, a.reasonsOverTime);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<svg /);
    assert.doesNotMatch(page, EXTERNAL);
    assert.ok(!leaksToken(page));
  }));

test('--merge sums JSON reports (a pipeline: triage on each machine, then merge)', () =>
  withLogs(async (t, c) => {
    const a = await runCli(['triage', '-', ...c, '--format', 'json'], { input: mixedLog() });
    const b = await runCli(['triage', '-', ...c, '--format', 'json'], { input: mixedLog() + mixedLog() });
    const m = await runCli(['triage', '--merge', t.file('a.json', a.stdout), t.file('b.json', b.stdout), '--format', 'json']);
    assert.equal(m.code, 0, m.stderr);
    const merged = JSON.parse(m.stdout) as TriageReport;
    assert.equal(merged.lines.read, 3 * MIXED_COUNTS.lines.read);
    assert.equal(merged.by.reason.token_expired, 3 * MIXED_COUNTS.reason.token_expired);
    assert.equal(merged.badInput.binary_line, 3);
  }));

test('usage errors exit 2 with one line: bad --bucket, --workers 0, --merge of a file that is not a report', () =>
  withLogs(async (t, c) => {
    for (const args of [
      ['triage', '-', ...c, '--bucket', 'soon'],
      ['triage', '-', ...c, '--workers', '0'],
      ['triage', '--merge', t.file('x.json', '{"schema":"other"}')],
      ['triage', '--merge', t.file('y.json', 'not json')],
      ['triage', '--merge'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(!hasStackTrace(r.stderr));
    }
  }));

test('--prometheus: the errors of the reader are in the same report, with their codes', async () => {
  const r = await runCli(['triage', '--prometheus', 'http://127.0.0.1:9', '--since', '1h', '--format', 'json', ...NOW_FLAG]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as TriageReport;
  assert.equal(report.schema, 'jwt-doctor/triage/v1');
  assert.ok(report.errors.length > 0 && report.errors.every((e) => typeof e.code === 'string'));
});
