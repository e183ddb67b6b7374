import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOverlap } from '../../src/rotation/check_overlap.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { jwksKey, NOW, runCli, sendJson, serve, signToken, codes } from '../helpers/index.ts';

const iso = (s: number) => new Date(s * 1000).toISOString();

test('lifetime mode: earliest safe retirement = switch + lifetime + tolerance', async () => {
  const oldKey = jwksKey('old');
  const newKey = jwksKey('new');
  const oldSet = await loadKeyMaterial({ jwk: { keys: [oldKey.publicJwk] } });
  const newSet = await loadKeyMaterial({ jwk: { keys: [newKey.publicJwk] } });
  const r = checkOverlap({
    old: oldSet,
    new: newSet,
    lifetimeSeconds: 3600,
    clockToleranceSeconds: 30,
    switchedAt: NOW - 600,
    retireAt: NOW + 1800,
    now: NOW,
  });
  assert.deepEqual(
    r.retiring.map((k) => k.kid),
    ['old'],
  );
  assert.deepEqual(
    r.added.map((k) => k.kid),
    ['new'],
  );
  assert.equal(r.earliestSafeRetirement, iso(NOW - 600 + 3600 + 30));
  assert.equal(r.safe, false);
  assert.equal(r.marginSeconds, -1230);
  assert.deepEqual(codes(r), ['rotation_overlap_short']);
  assert.equal(r.findings[0]!.detail!.shortBySeconds, 1230);
  const ok = checkOverlap({ old: oldSet, new: newSet, lifetimeSeconds: 3600, switchedAt: NOW - 600, retireAt: NOW + 3000, now: NOW });
  assert.equal(ok.safe, true);
  assert.equal(ok.result, 'ok');
  // Nothing retires when the new set keeps the old key.
  const both = await loadKeyMaterial({ jwk: { keys: [oldKey.publicJwk, newKey.publicJwk] } });
  const keep = checkOverlap({ old: oldSet, new: both, lifetimeSeconds: 3600, retireAt: NOW, now: NOW });
  assert.equal(keep.safe, true);
  assert.deepEqual(
    keep.kept.map((k) => k.kid),
    ['old'],
  );
});

test('tokens mode over HTTP sets: the latest live token signed by the old key decides', async () => {
  const oldKey = jwksKey('old');
  const newKey = jwksKey('new');
  const stranger = jwksKey('stranger');
  let phase: 'old' | 'new' = 'old';
  const issuer = await serve((req, res) =>
    sendJson(
      res,
      { keys: (req.url === '/old' || phase === 'old' ? [oldKey] : [newKey]).map((k) => k.publicJwk) },
      { 'cache-control': 'max-age=600' },
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), 'jd-overlap-'));
  try {
    phase = 'new';
    const tokens = [
      signToken(oldKey, { sub: 'a', iat: NOW - 3000, exp: NOW + 600 }),
      signToken(oldKey, { sub: 'b', iat: NOW - 1000, exp: NOW + 2600 }),
      signToken(oldKey, { sub: 'c', iat: NOW - 9000, exp: NOW - 5400 }), // expired: needs no key
      signToken(newKey, { sub: 'd', iat: NOW - 10, exp: NOW + 3590 }),
      signToken(stranger, { sub: 'e', iat: NOW - 10, exp: NOW + 3590 }),
      'Bearer not-a-token',
    ];
    const oldSet = await loadKeyMaterial({ jwksUri: `${issuer.url}/old` }, { timeoutMs: 2000 });
    const newSet = await loadKeyMaterial({ jwksUri: `${issuer.url}/current` }, { timeoutMs: 2000 });
    const r = checkOverlap({ old: oldSet, new: newSet, tokens, retireAt: NOW + 1200, now: NOW });
    assert.equal(r.mode, 'tokens');
    assert.deepEqual(r.tokens!.byKid.old, { live: 2, set: 'old', latestExp: iso(NOW + 2600) });
    assert.equal(r.tokens!.expired, 1);
    assert.equal(r.tokens!.unreadable, 1);
    assert.equal(r.earliestSafeRetirement, iso(NOW + 2600));
    assert.deepEqual(codes(r).sort(), ['key_not_found', 'rotation_overlap_short']);
    assert.equal(r.safe, false);

    // The CLI reads the same from files, and never prints a token.
    const tokFile = join(dir, 'tokens.txt');
    writeFileSync(tokFile, tokens.join('\n'));
    const cli = await runCli([
      'rotation',
      'overlap',
      '--old',
      `${issuer.url}/old`,
      '--new',
      `${issuer.url}/current`,
      '--tokens',
      tokFile,
      '--retire-at',
      iso(NOW + 3000),
      '--now',
      iso(NOW),
    ]);
    assert.equal(cli.code, 1, cli.stderr); // the stranger's live token has no key in either set
    assert.match(cli.stdout, /overlap = pass/);
    for (const t of tokens.slice(0, 5)) assert.ok(!cli.stdout.includes(t.split('.')[2]!), 'no token material in output');
    const usage = await runCli(['rotation', 'overlap', '--old', `${issuer.url}/old`, '--new', `${issuer.url}/current`]);
    assert.equal(usage.code, 2);
  } finally {
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the verdict is a function of the plan: the same plan at 20:05 and at 20:51 gives the same answer', async () => {
  const oldKey = jwksKey('old');
  const newKey = jwksKey('new');
  const dir = mkdtempSync(join(tmpdir(), 'jd-overlap-clock-'));
  try {
    writeFileSync(join(dir, 'old.jwks.json'), JSON.stringify({ keys: [oldKey.publicJwk] }));
    writeFileSync(join(dir, 'new.jwks.json'), JSON.stringify({ keys: [newKey.publicJwk] }));
    // The plan: switch at 19:00, tokens live 3600 s, tolerance 10 s, retire at 20:30.
    // README formula: earliest safe retirement = 19:00 + 3600 + 10 = 20:00:10, so retiring at 20:30 is safe,
    // whether the check runs before the retirement (20:05) or after it (20:51).
    const plan = [
      'rotation',
      'overlap',
      '--old',
      join(dir, 'old.jwks.json'),
      '--new',
      join(dir, 'new.jwks.json'),
      '--lifetime',
      '3600',
      '--clock-tolerance',
      '10',
      '--switched-at',
      '2026-11-28T19:00:00Z',
      '--retire-at',
      '2026-11-28T20:30:00Z',
      '--format',
      'json',
    ];
    const runs = await Promise.all(['2026-11-28T20:05:00Z', '2026-11-28T20:51:00Z'].map((now) => runCli([...plan, '--now', now])));
    const [early, late] = runs.map((r) => ({ code: r.code, json: JSON.parse(r.stdout) as Record<string, unknown> }));
    for (const run of [early!, late!]) {
      assert.equal(run.code, 0);
      assert.equal(run.json.safe, true);
      assert.equal(run.json.earliestSafeRetirement, '2026-11-28T20:00:10.000Z');
      assert.equal(run.json.marginSeconds, 1790);
    }
    // `now` only says what has already happened.
    assert.equal(early!.json.retired, false);
    assert.equal(late!.json.retired, true);
    assert.equal(early!.json.alreadySafe, true);

    // An unsafe plan stays unsafe once its retirement is in the past.
    const tooEarly = plan.map((a) => (a === '2026-11-28T20:30:00Z' ? '2026-11-28T19:40:00Z' : a));
    for (const now of ['2026-11-28T19:30:00Z', '2026-11-28T20:51:00Z']) {
      const r = await runCli([...tooEarly, '--now', now]);
      assert.equal(r.code, 1, now);
      const json = JSON.parse(r.stdout) as {
        earliestSafeRetirement: string;
        findings: { code: string; detail: { shortBySeconds: number } }[];
      };
      assert.equal(json.earliestSafeRetirement, '2026-11-28T20:00:10.000Z');
      assert.deepEqual(
        json.findings.map((f) => [f.code, f.detail.shortBySeconds]),
        [['rotation_overlap_short', 1210]],
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tokens mode: a token of the retiring key that has since expired still sets the earliest time', async () => {
  const oldKey = jwksKey('old');
  const newKey = jwksKey('new');
  const oldSet = await loadKeyMaterial({ jwk: { keys: [oldKey.publicJwk] } });
  const newSet = await loadKeyMaterial({ jwk: { keys: [newKey.publicJwk] } });
  const tokens = [signToken(oldKey, { sub: 'a', iat: NOW - 600, exp: NOW + 3000 })];
  const plan = { old: oldSet, new: newSet, tokens, retireAt: NOW + 1200 };
  const before = checkOverlap({ ...plan, now: NOW });
  const after = checkOverlap({ ...plan, now: NOW + 5000 });
  for (const r of [before, after]) {
    assert.equal(r.earliestSafeRetirement, iso(NOW + 3000));
    assert.equal(r.safe, false);
  }
  assert.equal(before.tokens!.live, 1);
  assert.equal(after.tokens!.expired, 1);
});
