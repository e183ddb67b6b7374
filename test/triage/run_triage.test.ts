import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTriage, type TriageRunOptions } from '../../src/triage/run_triage.ts';
import { MAX_BUCKETS, MAX_KEYS_PER_COUNT, type TriageReport } from '../../src/triage/report.ts';
import { formatTriageText } from '../../src/triage/format_triage_text.ts';
import { formatTriageHtml } from '../../src/triage/format_triage_html.ts';
import { NOW } from '../helpers/index.ts';
import { gzip, jsonLine, leaksToken, MIXED_COUNTS, mixedLog, stagingSetup, TOKENS, withTemp } from './fixtures.ts';

async function triage(files: string[], extra: Partial<TriageRunOptions> = {}): Promise<TriageReport> {
  return withTemp(async (t) =>
    runTriage({
      setup: await stagingSetup(t),
      inputs: files.map((name) => ({ name })),
      workers: 1,
      analysis: { retiredKids: [], mark: NOW },
      ...extra,
    }),
  );
}

/** The report without what legitimately differs between runs of the same lines (bytes of a gzip vs plain file, examples' order of arrival). */
function sums(r: TriageReport): unknown {
  const { bytes: _b, examples, ...rest } = r;
  return { ...rest, exampleCodes: Object.keys(examples).sort() };
}

test('a mixed log: lines, reasons, kids, clients, routes and bad input counted with codes', () =>
  withTemp(async (t) => {
    const r = await triage([t.file('mixed.log', mixedLog())]);
    assert.deepEqual(r.lines, MIXED_COUNTS.lines);
    assert.deepEqual(r.by.reason, MIXED_COUNTS.reason);
    assert.deepEqual(r.badInput, MIXED_COUNTS.badInput);
    assert.deepEqual(r.by.kid, { 'hs-new': 70, 'hs-old': 10 });
    assert.deepEqual(r.by.client, { web: 60, mobile: 20, ios: 1 });
    assert.equal(r.by.route['/v1/orders'], 81); // query string dropped
    assert.equal(r.by.route['/v1/me'], 1);
    assert.equal(r.by.env.staging, r.events);
    assert.equal(
      r.events,
      Object.values(r.by.reason).reduce((a, b) => a + b, 0),
    );
    // The retired key's kid is outside staging's key set: residual traffic, all of it after the mark.
    assert.deepEqual(
      r.residualKids.map((k) => [k.kid, k.why, k.total, k.afterMark]),
      [['hs-old', 'not_in_current_keys', 10, 10]],
    );
    assert.deepEqual(r.spikes.map((s) => s.reason).sort(), ['key_not_found', 'token_expired']);
    assert.ok(!leaksToken(JSON.stringify(r)));
  }));

test('gzip (by magic bytes, whatever the name), several files and plain text give the same sums', () =>
  withTemp(async (t) => {
    const log = mixedLog();
    const plain = await triage([t.file('a.log', log)]);
    const zipped = await triage([t.file('a.log.txt', gzip(log))]);
    assert.deepEqual(sums(zipped), sums(plain));
    const half = log.indexOf('\n', log.length / 2) + 1;
    const split = await triage([t.file('p1.log', log.slice(0, half)), t.file('p2.gz', gzip(log.slice(half)))]);
    assert.deepEqual(split.by, plain.by);
    assert.deepEqual(split.lines, plain.lines);
  }));

test('--workers 2 gives the same report as one thread', () =>
  withTemp(async (t) => {
    // Enough lines for several chunks: every worker gets some.
    const big = Array.from({ length: 60 }, () => mixedLog()).join('');
    const file = t.file('big.log', big);
    const one = await triage([file]);
    const two = await triage([file], { workers: 2 });
    assert.deepEqual(sums(two), sums(one));
    assert.equal(one.lines.read, 60 * MIXED_COUNTS.lines.read);
  }));

test('invalid gzip is reported with a code and the lines before the damage are counted', () =>
  withTemp(async (t) => {
    const z = gzip(mixedLog().repeat(50));
    const r = await triage([
      t.file('cut.gz', z.subarray(0, Math.floor(z.length / 2))),
      t.file('noise.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3])),
    ]);
    assert.equal(r.badInput.gzip_invalid, 2);
    assert.deepEqual(
      r.errors.map((e) => e.code),
      ['gzip_invalid', 'gzip_invalid'],
    );
    assert.ok(r.lines.read > 0);
  }));

test('a missing file is input_unreadable; the other inputs are still read', () =>
  withTemp(async (t) => {
    const r = await triage([t.dir + '/nope.log', t.file('a.log', mixedLog())]);
    assert.equal(r.badInput.input_unreadable, 1);
    assert.equal(r.lines.read, MIXED_COUNTS.lines.read);
  }));

test('a line of several megabytes is capped, counted and skipped; the lines around it count', () =>
  withTemp(async (t) => {
    const huge = '{"msg":"' + 'x'.repeat(5 * 1024 * 1024) + TOKENS.valid + '"}';
    const text = [jsonLine(0, TOKENS.expired), huge, jsonLine(1, TOKENS.expired), 'y'.repeat(70 * 1024)].join('\n') + '\n';
    const r = await triage([t.file('huge.log', text)]);
    assert.equal(r.badInput.line_too_long, 2);
    assert.deepEqual(r.lines, { read: 4, events: 2, unmatched: 0, skipped: 2 });
    assert.equal(r.by.reason.token_expired, 2);
    assert.ok(r.examples.line_too_long!.every((e) => e.length <= 241));
    assert.ok(!leaksToken(JSON.stringify(r)));
  }));

test('each distinct token is diagnosed at the time of its line', () =>
  withTemp(async (t) => {
    // TOKENS.valid expires at NOW + 3600: valid before, token_expired after.
    const r = await triage([
      t.file('a.log', [jsonLine(0, TOKENS.valid), jsonLine(7200, TOKENS.valid), jsonLine(10, TOKENS.valid)].join('\n')),
    ]);
    assert.deepEqual(r.by.reason, { valid: 2, token_expired: 1 });
  }));

test('a hostile log (times scattered over 60 years, a new route on every line) gives a bounded report that still renders', () =>
  withTemp(async (t) => {
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const time = new Date(Date.UTC(1980, 0, 1) + ((i * 7_919_993) % 60) * 365 * 86_400_000 + i * 60_000).toISOString();
      lines.push(JSON.stringify({ time, route: `/v1/users/${i}`, error: 'Jwt is expired' }));
    }
    const r = await triage([t.file('hostile.log', lines.join('\n'))]);
    assert.equal(r.by.reason.token_expired, 40_000);
    assert.equal(Object.keys(r.by.route).length, MAX_KEYS_PER_COUNT + 1);
    assert.ok(Object.keys(r.reasonsOverTime).length <= MAX_BUCKETS);
    assert.ok(r.bucketSeconds > 60 && r.bucketSeconds % 60 === 0);
    const sum = Object.values(r.reasonsOverTime).reduce((n, c) => n + (c.token_expired ?? 0), 0);
    assert.equal(sum, 40_000);
    assert.ok(formatTriageText(r).length > 0);
    assert.ok(formatTriageHtml(r).length > 0);
  }));
