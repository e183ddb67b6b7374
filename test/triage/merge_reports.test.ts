import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeReports, triageReportProblem } from '../../src/triage/merge_reports.ts';
import { addBadInput, addEvent, emptyReport, type TriageReport } from '../../src/triage/report.ts';
import { NOW } from '../helpers/index.ts';

function host(expired: number, kid: string, mark?: number): TriageReport {
  const r = emptyReport(60, { retiredKids: [kid === 'old' ? 'old' : 'none'], ...(mark !== undefined ? { mark } : {}) });
  for (let i = 0; i < expired; i++) addEvent(r, { reason: 'token_expired', kid, route: '/v1/me', time: NOW + i, count: 1 });
  addEvent(r, { reason: 'valid', kid, count: 4 });
  r.lines = { read: expired + 5, events: expired + 1, unmatched: 3, skipped: 1 };
  r.bytes = 1000;
  addBadInput(r, 'binary_line');
  return r;
}

test('merging sums every count, series and bad-input code, and recomputes the analysis from the sums', () => {
  const a = host(3, 'new', NOW);
  const b = host(5, 'old');
  const m = mergeReports([a, b]);
  assert.equal(m.events, a.events + b.events);
  assert.deepEqual(m.by.reason, { token_expired: 8, valid: 8 });
  assert.deepEqual(m.by.kid, { new: 7, old: 9 });
  assert.deepEqual(m.lines, { read: 18, events: 10, unmatched: 6, skipped: 2 });
  assert.equal(m.bytes, 2000);
  assert.deepEqual(m.badInput, { binary_line: 2 });
  const bucket = String(Math.floor(NOW / 60) * 60);
  assert.equal(m.reasonsOverTime[bucket]!.token_expired, 8);
  // a's mark and the union of retired kids carry over; old is residual traffic.
  assert.equal(m.analysis.mark, NOW);
  assert.deepEqual(m.analysis.retiredKids, ['none', 'old']);
  assert.deepEqual(
    m.residualKids.map((k) => [k.kid, k.why, k.total]),
    [['old', 'retired', 9]],
  );
  // Merging is associative: (a + b) + a = a + (b + a).
  assert.deepEqual(mergeReports([mergeReports([a, b]), a]).by, mergeReports([a, mergeReports([b, a])]).by);
});

test('reports whose bucket sizes are not multiples of one another are refused, not mixed', () => {
  assert.throws(() => mergeReports([emptyReport(60), emptyReport(90)]), RangeError);
});

test('a report with coarser buckets (MAX_BUCKETS) merges with finer ones in its bucket size; the inputs are unchanged', () => {
  const fine = host(3, 'new');
  const coarse = emptyReport(120);
  addEvent(coarse, { reason: 'token_expired', kid: 'new', time: NOW, count: 2 });
  const before = structuredClone(fine);
  const m = mergeReports([fine, coarse]);
  assert.equal(m.bucketSeconds, 120);
  assert.deepEqual(fine, before);
  const total = (series: Record<string, Record<string, number>>) => Object.values(series).reduce((n, c) => n + (c.token_expired ?? 0), 0);
  assert.equal(total(m.reasonsOverTime), 5);
  for (const start of Object.keys(m.reasonsOverTime)) assert.equal(Number(start) % 120, 0);
});

test('triageReportProblem names what is not a triage report', () => {
  assert.equal(triageReportProblem(emptyReport(60)), undefined);
  assert.match(triageReportProblem([])!, /object/);
  assert.match(triageReportProblem({ schema: 'jwt-doctor/diagnosis/v1' })!, /schema/);
  assert.match(triageReportProblem({ ...emptyReport(60), bucketSeconds: 0 })!, /bucket/);
});
