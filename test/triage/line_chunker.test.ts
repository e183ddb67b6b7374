import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineChunker } from '../../src/triage/line_chunker.ts';

function run(parts: string[], max: number): { chunks: string[]; dropped: string[] } {
  const dropped: string[] = [];
  const c = new LineChunker(max, (head) => dropped.push(head.toString()));
  const chunks: string[] = [];
  for (const p of parts) {
    const out = c.push(Buffer.from(p));
    if (out) chunks.push(out.toString());
  }
  const rest = c.end();
  if (rest) chunks.push(rest.toString());
  return { chunks, dropped };
}

test('chunks end on a newline whatever the read boundaries; the last line may lack one', () => {
  const { chunks } = run(['ab', 'c\nde', 'f\ngh\n', 'ij'], 100);
  assert.deepEqual(chunks, ['abc\n', 'def\ngh\n', 'ij']);
});

test('a line longer than the cap is dropped as it streams (head kept), the following lines are kept', () => {
  const { chunks, dropped } = run(['ok\n' + 'x'.repeat(40), 'x'.repeat(40), 'x'.repeat(40) + '\nnext\n'], 50);
  assert.deepEqual(chunks, ['ok\n', 'next\n']);
  assert.equal(dropped.length, 1);
  assert.ok(dropped[0]!.startsWith('xxx'));
});
