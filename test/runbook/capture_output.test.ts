import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureOutput } from '../../src/runbook/capture_output.ts';

test("what the function writes to stdout and stderr is captured, and the streams' write is restored after", async () => {
  const before = [process.stdout.write, process.stderr.write];
  const r = await captureOutput(async () => {
    process.stdout.write('out 1\n');
    await new Promise((resolve) => setTimeout(resolve, 1));
    process.stderr.write(Buffer.from('err 1\n'));
    process.stdout.write('out 2\n', () => undefined);
    return 7;
  }, 10_000);
  assert.equal(r.value, 7);
  assert.equal(r.stdout, 'out 1\nout 2\n');
  assert.equal(r.stderr, 'err 1\n');
  assert.deepEqual([process.stdout.write, process.stderr.write], before);
});

test('a function that does not settle in time is a timeout; what it writes later is dropped, and the streams come back once it ends', async () => {
  const before = process.stdout.write;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  const r = await captureOutput(
    () =>
      new Promise<number>((resolve) => {
        process.stdout.write('early\n');
        // Registered inside the first capture: runs in its context, as a timed-out command's own callbacks do.
        void gate.then(() => {
          process.stdout.write('late\n');
          resolve(0);
          finish();
        });
      }),
    20,
  );
  assert.equal(r.value, 'timeout');
  assert.equal(r.stdout, 'early\n');
  const second = await captureOutput(async () => {
    process.stdout.write('second\n');
    open();
    await ended;
    return 1;
  }, 10_000);
  // The late write, made while the second capture runs, went to neither capture.
  assert.equal(second.stdout, 'second\n');
  assert.equal(r.stdout, 'early\n');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(process.stdout.write, before);
});
