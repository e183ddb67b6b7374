import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findToken, readJsonFacts, readLogTime, readRoute, readTextFacts } from '../../src/triage/read_line.ts';
import { NOW, NOW_ISO } from '../helpers/index.ts';
import { TOKENS } from './fixtures.ts';

test('times: ISO with Z, an offset or none (UTC), UNIX seconds or milliseconds; anything else is no time', () => {
  assert.equal(readLogTime(NOW_ISO), NOW);
  assert.equal(readLogTime(NOW_ISO.replace('Z', '+00:00')), NOW);
  assert.equal(readLogTime(NOW_ISO.replace('.000Z', '+01:00')), NOW - 3600);
  assert.equal(readLogTime(NOW_ISO.replace('T', ' ').replace('.000Z', '')), NOW);
  assert.equal(readLogTime(NOW), NOW);
  assert.equal(readLogTime(NOW * 1000), NOW);
  assert.equal(readLogTime(String(NOW)), NOW);
  assert.equal(readLogTime(new Date(NOW * 1000 + 250).toISOString()), NOW + 0.25);
  for (const bad of ['yesterday', '2026-13-45T99:00:00Z', '', -5, null, {}, 'x'.repeat(100)])
    assert.equal(readLogTime(bad), undefined, String(bad));
});

test('routes lose query string, fragment, scheme and host', () => {
  assert.equal(readRoute('/v1/me'), '/v1/me');
  assert.equal(readRoute('/v1/me?x=1#f'), '/v1/me');
  assert.equal(readRoute('https://api.example.com/v1/orders?page=2'), '/v1/orders');
  assert.equal(readRoute('https://api.example.com'), '/');
});

test('findToken: the first JWT-shaped string (JWS or JWE), not a lone "eyJ"', () => {
  assert.equal(findToken(`a eyJ b Bearer ${TOKENS.valid} c`), TOKENS.valid);
  assert.equal(findToken('eyJhbGciOiJIUzI1NiJ9 only one segment'), undefined);
  assert.equal(findToken('eyJhbGciOiJ.a.b.c.d'), 'eyJhbGciOiJ.a.b.c.d');
});

test('NDJSON facts: time, route, client, env, kid fields; --token-field by dotted path, Bearer removed', () => {
  const obj = {
    '@timestamp': NOW_ISO,
    url: 'https://api/v1/me?q=1',
    client_id: 'web',
    environment: 'prod',
    kid: 'k1',
    req: { headers: { authorization: `Bearer ${TOKENS.valid}` } },
    msg: 'Jwt is expired',
  };
  const line = JSON.stringify(obj);
  assert.deepEqual(readJsonFacts(obj, line, 'req.headers.authorization'), {
    time: NOW,
    route: '/v1/me',
    client: 'web',
    env: 'prod',
    kid: 'k1',
    token: TOKENS.valid,
    message: 'Jwt is expired',
  });
  assert.equal(readJsonFacts(obj, line, 'req.missing').token, undefined);
  assert.equal(readJsonFacts(obj, line, undefined).token, TOKENS.valid);
});

test('text facts: leading ISO time, logfmt pairs, METHOD /path, the token kept out of the message', () => {
  const f = readTextFacts(`[${NOW_ISO}] POST /v1/orders?x=1 401 client=ios env="staging" kid=k9 auth=${TOKENS.expired} err="jwt expired"`);
  assert.equal(f.time, NOW);
  assert.equal(f.route, '/v1/orders');
  assert.equal(f.client, 'ios');
  assert.equal(f.env, 'staging');
  assert.equal(f.kid, 'k9');
  assert.equal(f.token, TOKENS.expired);
  assert.ok(!f.message!.includes(TOKENS.expired) && f.message!.includes('jwt expired'));
  assert.deepEqual(readTextFacts('plain words'), { message: 'plain words' });
});

test('times: a log moving through minutes, hours and days reads each one (the minute of the last time is reused only when it matches)', () => {
  const start = Date.UTC(2026, 10, 30, 23, 58, 30);
  for (let i = 0; i < 400; i += 7) {
    const ms = start + i * 1000 + (i % 3) * 125;
    const iso = new Date(ms).toISOString();
    assert.equal(readLogTime(iso), ms / 1000, iso);
    assert.equal(readLogTime(iso.replace(/\.\d{3}Z$/, 'Z')), Math.floor(ms / 1000), iso);
  }
  // Back in time and forth again: no stale minute.
  assert.equal(readLogTime('2026-01-01T00:00:59Z'), Date.UTC(2026, 0, 1, 0, 0, 59) / 1000);
  assert.equal(readLogTime('2026-12-01T00:00:59Z'), Date.UTC(2026, 11, 1, 0, 0, 59) / 1000);
  for (const bad of [
    '2026x11-30T20:05:00Z',
    '2026-11-30T20:05:60Z',
    '2026-11-30T20:05:0aZ',
    '2026-11-30T24:05:00Z',
    '2026-11-30T20:05:00.abcZ',
  ])
    assert.equal(readLogTime(bad), undefined, bad);
});

test('findToken: a token right after other "e"/"y" letters, or at the very start, is found whole', () => {
  assert.equal(findToken(TOKENS.valid), TOKENS.valid);
  assert.equal(findToken(`key=eyJ eyeyJ0.a ${TOKENS.valid}`), TOKENS.valid);
  assert.equal(findToken(`yJyJ"${TOKENS.valid}"`), TOKENS.valid);
  assert.equal(findToken(`x=eyJa.b.c.d.e.f`), 'eyJa.b.c.d.e');
  assert.equal(findToken('eyJa.b'), undefined);
});

test('NDJSON facts: the first field of each list wins whatever the key order; every message field is read, in list order', () => {
  const obj = { path: '/b', timestamp: 5, route: '/a', time: NOW_ISO, azp: 'x', client: 'web', error: 'Jwt is expired', msg: 'denied' };
  const f = readJsonFacts(obj, JSON.stringify(obj), undefined);
  assert.equal(f.route, '/a');
  assert.equal(f.time, NOW);
  assert.equal(f.client, 'web');
  assert.equal(f.message, 'denied Jwt is expired');
  // A first field present but unreadable is not replaced by a later one (as before: the first present wins).
  assert.equal(readJsonFacts({ time: 'soon', ts: NOW }, '', undefined).time, undefined);
  assert.equal(readJsonFacts({ msg: '', error: 3, reason: 'r' }, '', undefined).message, 'r');
});
