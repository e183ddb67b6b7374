import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderReadme } from '../scripts/readme.ts';
import { COMMANDS } from '../src/cli/main.ts';
import { REASONS } from '../src/reasons.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('README starts with the two quick-start commands', () => {
  const head = readme.split('\n').slice(0, 12).join('\n');
  assert.match(head, /^npm ci && npm start/m);
  assert.match(head, /^npm ci && npm test/m);
  const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
  assert.match(ci, /^npm test$/m);
});

test('README example outputs and the reason-code table are current', () => {
  assert.equal(renderReadme(readme), readme, 'README is stale: run node --import tsx scripts/readme.ts --write');
});

test('README documents every command and every reason code', () => {
  for (const name of Object.keys(COMMANDS)) assert.ok(readme.includes(`jwt-doctor ${name}`), `README lacks "jwt-doctor ${name}"`);
  for (const code of Object.keys(REASONS)) assert.ok(readme.includes(`\`${code}\``), `README lacks reason code ${code}`);
});
