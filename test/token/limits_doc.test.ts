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
import {
  DEFAULT_REVOCATION_TIMEOUT_MS,
  MAX_DENYLIST_BYTES,
  MAX_REDIS_REPLY_BYTES,
  REVOCATION_CACHE_MAX_ENTRIES,
} from '../../src/defaults.ts';

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
    ['Revocation lookup deadline', DEFAULT_REVOCATION_TIMEOUT_MS],
    ['Revocation answers cached', REVOCATION_CACHE_MAX_ENTRIES],
    ['Deny-list file bytes', MAX_DENYLIST_BYTES],
    ['Redis reply bytes', MAX_REDIS_REPLY_BYTES],
  ];
  for (const [name, value] of rows) {
    assert.equal(Number(/^\d+/.exec(valueOf(name))?.[0]), value, name);
  }
});

test("README's Security defaults table states the same values", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const { DEFAULT_TIMEOUT_MS } = await import('../../src/net/fetch_text.ts');
  /** The value cell of the README row whose first cell starts with `name`. */
  const cell = (name: string) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| ${name}`));
    assert.ok(row, `README has no limits row "${name}"`);
    return Number(/^\d+/.exec(row.split('|').at(-2)!.trim())?.[0]);
  };
  assert.equal(cell('token bytes'), DEFAULT_MAX_TOKEN_BYTES);
  assert.equal(cell('JSON nesting depth'), MAX_JSON_DEPTH);
  assert.equal(cell('HTTP request header bytes'), maxHeaderSize);
  assert.equal(cell('JWKS / discovery / metrics body bytes'), DEFAULT_MAX_BODY_BYTES);
  assert.equal(cell('candidate keys tried per token'), MAX_CANDIDATE_KEYS);
  assert.equal(cell('provenance verifications per token'), MAX_PROVENANCE_VERIFICATIONS);
  assert.equal(cell('network timeout'), DEFAULT_TIMEOUT_MS);
});
