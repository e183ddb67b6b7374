/**
 * docs/limits.md states each parsing and work limit with its value: this
 * test reads the table and compares it with the constants the code enforces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { maxHeaderSize } from 'node:http';
import { DEFAULT_MAX_TOKEN_BYTES } from '../../src/token/decode.ts';
import { MAX_JSON_DEPTH } from '../../src/token/strict_json.ts';
import { MAX_CANDIDATE_KEYS, MAX_PROVENANCE_VERIFICATIONS } from '../../src/checks/signature.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/net/fetch_text.ts';

const doc = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');

/** The Value column of the table row whose first cell is `name`. */
function valueOf(name: string): string {
  const row = doc.split('\n').find((l) => l.startsWith(`| ${name} |`));
  assert.ok(row, `docs/limits.md has no row "${name}"`);
  return row.split('|')[2]!.trim();
}

test('docs/limits.md states the values the code enforces', () => {
  const rows: [string, number][] = [
    ['Token bytes', DEFAULT_MAX_TOKEN_BYTES],
    ['JSON nesting depth', MAX_JSON_DEPTH],
    ['HTTP request header bytes', maxHeaderSize],
    ['JWKS / discovery body bytes', DEFAULT_MAX_BODY_BYTES],
    ['Candidate keys per token', MAX_CANDIDATE_KEYS],
    ['Provenance verifications per token', MAX_PROVENANCE_VERIFICATIONS],
  ];
  for (const [name, value] of rows) {
    assert.equal(Number(/^\d+/.exec(valueOf(name))?.[0]), value, name);
  }
});
