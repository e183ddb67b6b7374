/**
 * Every default and limit has one home, src/defaults.ts (issue 10): no other
 * module defines a constant of the same name, and no module writes a default
 * as a numeric literal after `??`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as defaults from '../src/defaults.ts';
import * as fetchText from '../src/net/fetch_text.ts';
import * as decode from '../src/token/decode.ts';
import * as signature from '../src/checks/signature.ts';
import * as verifier from '../src/middleware/verifier.ts';
import * as debugEndpoint from '../src/middleware/debug_endpoint.ts';
import * as readVerifierKeys from '../src/rotation/read_verifier_keys.ts';

const src = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.includes('.generated.') ? [path] : [];
  });
}

const others = sourceFiles(src).filter((f) => !f.endsWith(join('src', 'defaults.ts')));

test('no module but src/defaults.ts defines a default it names', () => {
  const names = Object.keys(defaults);
  assert.ok(names.includes('DEFAULT_TIMEOUT_MS') && names.includes('DEFAULT_MAX_TOKEN_BYTES'));
  const redefined: string[] = [];
  for (const file of others) {
    const text = readFileSync(file, 'utf8');
    for (const name of names) if (new RegExp(`\\bconst ${name}\\b`).test(text)) redefined.push(`${relative(src, file)}: ${name}`);
  }
  assert.deepEqual(redefined, []);
});

test('no numeric default literal after ?? outside src/defaults.ts', () => {
  const literals: string[] = [];
  for (const file of others) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // `?? 0` / `?? 1` are neutral elements, not defaults a user would tune.
        if (/\?\?\s*\d{2,}/.test(line)) literals.push(`${relative(src, file)}:${i + 1}`);
      });
  }
  assert.deepEqual(literals, []);
});

test('the former homes re-export the one value', () => {
  assert.equal(fetchText.DEFAULT_TIMEOUT_MS, defaults.DEFAULT_TIMEOUT_MS);
  assert.equal(fetchText.DEFAULT_MAX_BODY_BYTES, defaults.DEFAULT_MAX_BODY_BYTES);
  assert.equal(decode.DEFAULT_MAX_TOKEN_BYTES, defaults.DEFAULT_MAX_TOKEN_BYTES);
  assert.equal(signature.MAX_CANDIDATE_KEYS, defaults.MAX_CANDIDATE_KEYS);
  assert.equal(verifier.FORMER_KIDS_MAX, defaults.FORMER_KIDS_MAX);
  // The debug path had two homes (middleware and rotation): now one.
  assert.equal(debugEndpoint.DEFAULT_DEBUG_PATH, readVerifierKeys.DEFAULT_DEBUG_PATH);
});
