import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, progressLine } from '../../src/triage/progress.ts';

test('progress line: share of the total, rate and ETA; only bytes and rate when the total is unknown (stdin)', () => {
  assert.equal(progressLine(50e6, 100e6, 5000), '[############------------] 50% 50.0 MB of 100.0 MB 10.0 MB/s ETA 5s');
  assert.equal(progressLine(3e6, undefined, 1000), '3.0 MB read 3.0 MB/s');
});

test('redrawn at most every 200 ms on the sink, cleared when done', () => {
  let t = 0;
  const out: string[] = [];
  const p = createProgress({ write: (s) => out.push(s) }, 1000, () => t);
  t = 250;
  p.add(100);
  t = 300;
  p.add(100); // 50 ms later: not redrawn
  t = 500;
  p.add(100);
  p.done();
  assert.equal(out.length, 3);
  assert.match(out[0]!, /^\r\[/);
  assert.match(out[1]!, /30%/);
  assert.equal(out[2], '\r\u001b[K');
});
