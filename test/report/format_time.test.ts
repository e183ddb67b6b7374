/** parseDuration: the contract's and the command line's durations, the inverse of formatDuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/report/format_time.ts';

test('parseDuration: numbers in the field unit, strings with one unit, everything else refused', () => {
  const ok: [unknown, number, number][] = [
    [900, 1, 900],
    [90, 86400, 7776000],
    ['90s', 1, 90],
    ['15m', 1, 900],
    ['1h', 1, 3600],
    ['90d', 1, 7776000],
    ['2w', 1, 1209600],
    ['1.5h', 1, 5400],
    [' 30 s ', 1, 30],
    ['90d', 86400, 7776000],
  ];
  for (const [v, unit, want] of ok) assert.equal(parseDuration(v, unit), want, JSON.stringify(v));
  for (const bad of [-1, Infinity, NaN, '15', '1h30m', 'one hour', '-5m', '5y', '', null, true, {}])
    assert.equal(parseDuration(bad), undefined, JSON.stringify(bad));
  for (const s of [59, 900, 3600, 86400]) assert.equal(parseDuration(formatDuration(s)), s, 'one-unit output of formatDuration reads back');
});
