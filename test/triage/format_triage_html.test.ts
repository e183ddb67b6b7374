import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, formatTriageHtml } from '../../src/triage/format_triage_html.ts';
import { addEvent, addExample, emptyReport } from '../../src/triage/report.ts';
import { analyzeReport } from '../../src/triage/analyze_report.ts';
import { NOW } from '../helpers/index.ts';
import { EXTERNAL } from './fixtures.ts';

function report() {
  const r = emptyReport(60, { retiredKids: [], mark: NOW });
  for (let m = 0; m < 30; m++) {
    addEvent(r, { reason: 'token_expired', kid: 'k1', route: '/v1/me', time: NOW + m * 60, count: m });
    addEvent(r, { reason: 'valid', kid: 'k2', route: '/v1/<orders>', time: NOW + m * 60, count: 5 });
  }
  addExample(r, 'token_expired', '<script>alert(1)</script> "quoted" & more');
  return analyzeReport(r);
}

test('the HTML report is one self-contained file: inline SVG charts, no script, nothing to fetch', () => {
  const html = formatTriageHtml(report());
  assert.ok(html.startsWith('<!doctype html>'));
  assert.equal((html.match(/<svg /g) ?? []).length, 3); // reasons over time, kids over time, routes
  assert.match(html, /<polyline[^>]+points="[\d., ]+"/);
  assert.doesNotMatch(html, /<script|<link|<img|<iframe/i);
  assert.doesNotMatch(html, EXTERNAL);
});

test('strings from the logs are escaped', () => {
  const html = formatTriageHtml(report());
  assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'));
  assert.ok(html.includes('/v1/&#60;orders&#62;'));
  assert.equal(escapeHtml(`<a href="x">'&`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
});

test('an empty report still renders (no chart data: a sentence, not a broken SVG)', () => {
  const html = formatTriageHtml(emptyReport(60));
  assert.match(html, /No timed events/);
  assert.doesNotMatch(html, EXTERNAL);
});
