/**
 * The deny-list file source: jti lines, "sub X before DATE" cut-offs,
 * comments, re-read when the file changes, and a missing or malformed file
 * as `unreadable` (never an empty list).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDenylistSource, parseDenylist } from '../../src/revocation/denylist_source.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-denylist-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CUTOFF = 1796083200; // 2026-12-01T00:00:00Z

test('jti lines (bare or "jti X"), subject cut-offs and comments', async () => {
  const file = join(dir, 'revoked.txt');
  writeFileSync(file, '# revoked sessions\njti-1\njti jti-2   # explicit\n\nsub alice before 2026-12-01T00:00:00Z\n');
  const source = createDenylistSource(file, 'revoked.txt');
  const ask = (claims: Record<string, unknown>) => source.isRevoked({ claims });
  assert.deepEqual(await ask({ jti: 'jti-1' }), { ok: true, revoked: true, source: 'denylist:revoked.txt', by: 'jti' });
  assert.deepEqual(await ask({ jti: 'jti-2' }), { ok: true, revoked: true, source: 'denylist:revoked.txt', by: 'jti' });
  assert.deepEqual(await ask({ jti: '# revoked sessions' }), { ok: true, revoked: false, source: 'denylist:revoked.txt' });
  assert.deepEqual(await ask({ sub: 'alice', iat: CUTOFF - 1 }), {
    ok: true,
    revoked: true,
    source: 'denylist:revoked.txt',
    by: 'subject',
  });
  assert.deepEqual(await ask({ sub: 'alice', iat: CUTOFF }), { ok: true, revoked: false, source: 'denylist:revoked.txt' });
  // Without iat a token cannot prove it was issued after the cut-off.
  assert.equal(((await ask({ sub: 'alice' })) as { revoked: boolean }).revoked, true);
  assert.equal(((await ask({ sub: 'bob', iat: 0 })) as { revoked: boolean }).revoked, false);
});

test('a line appended to the file is seen by the next lookup', async () => {
  const file = join(dir, 'grow.txt');
  writeFileSync(file, 'jti-1\n');
  const source = createDenylistSource(file);
  assert.equal(((await source.isRevoked({ claims: { jti: 'jti-late' } })) as { revoked: boolean }).revoked, false);
  appendFileSync(file, 'jti-late\n');
  assert.equal(((await source.isRevoked({ claims: { jti: 'jti-late' } })) as { revoked: boolean }).revoked, true);
});

test('a missing file or a line it cannot read is unreadable, with the line number', async () => {
  const missing = await createDenylistSource(join(dir, 'nope.txt')).isRevoked({ claims: { jti: 'x' } });
  assert.deepEqual([missing.ok, !missing.ok && missing.error, !missing.ok && missing.message], [false, 'unreadable', 'ENOENT']);
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, 'jti-1\nsub alice before yesterday\n');
  const a = await createDenylistSource(bad).isRevoked({ claims: { jti: 'jti-1' } });
  assert.equal(!a.ok && a.error, 'unreadable');
  assert.match(!a.ok ? a.message : '', /^line 2:/);
  assert.deepEqual(parseDenylist('a b c'), { error: 'line 1: expected "JTI", "jti JTI" or "sub SUBJECT before DATE"' });
});
