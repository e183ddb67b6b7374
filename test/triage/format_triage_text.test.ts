import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTriageText, TOP_ROWS } from '../../src/triage/format_triage_text.ts';
import { addBadInput, addEvent, emptyReport } from '../../src/triage/report.ts';
import { analyzeReport } from '../../src/triage/analyze_report.ts';
import { NOW } from '../helpers/index.ts';

test('the table: totals, one table per dimension (top rows), spikes, residual kids, bad input, examples', () => {
  const r = emptyReport(60, { retiredKids: ['old'], mark: NOW });
  for (let i = 0; i < TOP_ROWS + 3; i++)
    addEvent(r, { reason: 'token_expired', route: `/r${i}`, kid: 'old', time: NOW + i * 60, count: 20 });
  addBadInput(r, 'binary_line', 'x', (l) => l);
  const text = formatTriageText(analyzeReport(r));
  const rows = text.split('\n');
  assert.ok(rows.includes(`events = ${20 * (TOP_ROWS + 3)}`));
  assert.ok(rows.some((l) => /^token_expired\s+260\s+100\.0%$/.test(l)));
  assert.equal(rows.filter((l) => /^\/r\d+ /.test(l)).length, TOP_ROWS);
  assert.ok(rows.includes('(3 more in --format json)'));
  assert.ok(rows.some((l) => /^token_expired\s+0\s+20\s+new$/.test(l)));
  assert.ok(rows.some((l) => /^old\s+retired\s+260\s+260\s/.test(l)));
  assert.ok(rows.some((l) => /^binary_line\s+1$/.test(l)));
  assert.ok(rows.includes('  binary_line: x'));
});
