/** Issue 10 / STYLE.md: no function in src/ over 80 lines (measured with the TypeScript parser). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionLengths } from '../scripts/function-lengths.ts';

test('no function in src/ spans more than 80 lines', () => {
  const all = functionLengths();
  assert.ok(all.length > 500, 'the scan found the functions of src/');
  const over = all.filter((f) => f.lines > 80).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
  assert.deepEqual(over, []);
});
