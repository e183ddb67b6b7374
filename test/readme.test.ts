/**
 * README.md sells and starts (issue 10): the two quick-start commands first,
 * at most 200 lines, and every link it gives resolves. The reference lives in
 * docs/ (test/docs/generated.test.ts checks it is complete and current).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { brokenLinks } from './docs/markdown.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('README starts with the two quick-start commands, which CI runs', () => {
  const head = readme.split('\n').slice(0, 12).join('\n');
  assert.match(head, /^npm ci && npm start/m);
  assert.match(head, /^npm ci && npm test/m);
  const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
  assert.match(ci, /^npm test$/m);
});

test('README is at most 200 lines', () => {
  const lines = readme.trimEnd().split('\n').length;
  assert.ok(lines <= 200, `README.md has ${lines} lines: move reference material to docs/`);
});

test('README says how to run it without a clone and how the test command gets its packages', () => {
  assert.match(readme, /npx jwt-doctor/);
  assert.match(readme, /npm i -g jwt-doctor/);
  assert.match(readme, /Try it on your own token/);
  assert.match(readme, /`npm test` installs the Debian packages/);
});

test('every link in README resolves to a file (and heading) of the repository', () => {
  assert.deepEqual(brokenLinks('README.md'), []);
});
