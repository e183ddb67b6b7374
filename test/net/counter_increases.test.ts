import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterIncreases } from '../../src/net/counter_increases.ts';

const at = (points: Array<[number, number]>) => ({ labels: {}, points });

test('counterIncreases: step-to-step growth after the baseline; flat steps give no increase', () => {
  assert.deepEqual(
    counterIncreases(
      at([
        [100, 4],
        [110, 4],
        [120, 9],
        [130, 10],
      ]),
      100,
    ),
    [
      { time: 120, count: 5 },
      { time: 130, count: 1 },
    ],
  );
});

test('counterIncreases: a series born inside the range counts whole at its first step (increase() would say 0)', () => {
  assert.deepEqual(
    counterIncreases(
      at([
        [120, 3],
        [130, 3],
        [140, 5],
      ]),
      100,
    ),
    [
      { time: 120, count: 3 },
      { time: 140, count: 2 },
    ],
  );
});

test('counterIncreases: a value that went down is a restart, counted from zero', () => {
  assert.deepEqual(
    counterIncreases(
      at([
        [100, 50],
        [110, 52],
        [120, 1],
      ]),
      100,
    ),
    [
      { time: 110, count: 2 },
      { time: 120, count: 1 },
    ],
  );
});

test('counterIncreases: a gap (stale series) keeps the last value, so a series that comes back is not counted twice', () => {
  assert.deepEqual(
    counterIncreases(
      at([
        [100, 7],
        [140, 9],
      ]),
      100,
    ),
    [{ time: 140, count: 2 }],
  );
  assert.deepEqual(counterIncreases(at([]), 100), []);
});
