import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeReport, SPIKE_FACTOR, SPIKE_MIN_EVENTS } from '../../src/triage/analyze_report.ts';
import { addEvent, emptyReport } from '../../src/triage/report.ts';
import { NOW } from '../helpers/index.ts';

const MARK = Math.floor(NOW / 60) * 60;

/** `perMinute` events of `reason` in each of `minutes` one-minute buckets from `from`. */
function traffic(r: ReturnType<typeof emptyReport>, reason: string, from: number, minutes: number, perMinute: number, kid?: string): void {
  for (let m = 0; m < minutes; m++) addEvent(r, { reason, time: from + m * 60, count: perMinute, ...(kid ? { kid } : {}) });
}

test('a reason whose rate jumps by SPIKE_FACTOR after the mark is a spike; a steady one is not', () => {
  const r = emptyReport(60, { retiredKids: [], mark: MARK + 30 });
  traffic(r, 'token_expired', MARK - 600, 10, 2); // 2/min before
  traffic(r, 'token_expired', MARK, 10, 2 * SPIKE_FACTOR); // 6/min after: exactly the factor
  traffic(r, 'audience_mismatch', MARK - 600, 20, 5); // 5/min throughout
  traffic(r, 'key_not_found', MARK, 10, 1); // new after the mark, 10 events
  traffic(r, 'valid', MARK, 10, 100); // never a spike
  analyzeReport(r);
  assert.deepEqual(
    r.spikes.map((s) => [s.reason, s.before, s.after, s.ratePerMinuteBefore, s.ratePerMinuteAfter, s.factor]),
    [
      ['key_not_found', 0, 10, 0, 1, null],
      ['token_expired', 20, 60, 2, 6, SPIKE_FACTOR],
    ],
  );
});

test('fewer than SPIKE_MIN_EVENTS after the mark is noise, whatever the factor', () => {
  const r = emptyReport(60, { retiredKids: [], mark: MARK });
  traffic(r, 'token_expired', MARK - 600, 1, 1);
  traffic(r, 'token_expired', MARK, 1, SPIKE_MIN_EVENTS - 1);
  assert.deepEqual(analyzeReport(r).spikes, []);
});

test('no mark: no spike analysis', () => {
  const r = emptyReport(60);
  traffic(r, 'token_expired', MARK, 5, 100);
  assert.deepEqual(analyzeReport(r).spikes, []);
});

test('residual kids: retired by name, or outside the current key set, with the traffic after the mark', () => {
  const r = emptyReport(60, { retiredKids: ['k-2025'], currentKids: ['k-2026', 'k-2025'], mark: MARK });
  traffic(r, 'valid', MARK - 300, 5, 3, 'k-2025');
  traffic(r, 'valid', MARK, 2, 4, 'k-2025');
  traffic(r, 'key_not_found', MARK, 3, 1, 'k-2024');
  traffic(r, 'valid', MARK, 3, 1, 'k-2026');
  assert.deepEqual(analyzeReport(r).residualKids, [
    { kid: 'k-2024', why: 'not_in_current_keys', total: 3, afterMark: 3, lastSeen: MARK + 120 },
    { kid: 'k-2025', why: 'retired', total: 23, afterMark: 8, lastSeen: MARK + 60 },
  ]);
});
