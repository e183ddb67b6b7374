/**
 * `contract check-deployed` (issue 15 item 3) and `contract import` through
 * the CLI: the drift between the contract and a deployed verifier's config,
 * field by field, from a file and from an Envoy admin /config_dump served
 * on 127.0.0.1 (the keys the gateway really holds, inlined as Istio does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { jwksOf, json, makeKey, runCli, startServer } from '../helpers/index.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'jwt-doctor-deployed-'));

function writeContract(env: Record<string, unknown>): string {
  const file = join(tmp(), 'auth-contract.yaml');
  writeFileSync(file, JSON.stringify({ version: 1, environments: { staging: env } }));
  return file;
}

test('contract import writes a contract that the other commands take as is; --out writes the file', async () => {
  const r = await runCli(['contract', 'import', '--from', 'envoy', join(FIXTURES, 'envoy.yaml'), '--env', 'staging']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# Imported by jwt-doctor contract import --from envoy/);
  const doc = parse(r.stdout) as { environments: Record<string, { issuer: string[] }> };
  assert.deepEqual(doc.environments.staging!.issuer, ['https://example.com']);
  const out = join(tmp(), 'c.yaml');
  assert.equal((await runCli(['contract', 'import', '--from', 'spring', join(FIXTURES, 'application.yml'), '--out', out])).code, 0);
  const drift = await runCli(['drift', '--from', 'imported', '--to', 'imported', '--contract', out]);
  assert.notEqual(drift.code, 2, drift.stderr);
});

test('bad input: an unknown kind, a config of another kind, garbage, a missing file: exit 2 without a stack trace', async () => {
  const garbage = join(tmp(), 'g.yaml');
  writeFileSync(garbage, '\u0000\u0001 {{{ not: [yaml');
  for (const argv of [
    ['contract', 'import', '--from', 'traefik', join(FIXTURES, 'envoy.yaml')],
    ['contract', 'import', '--from', 'istio', join(FIXTURES, 'envoy.yaml')],
    ['contract', 'import', '--from', 'envoy', garbage],
    ['contract', 'import', '--from', 'nginx', join(FIXTURES, 'missing.conf')],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('check-deployed: each field that differs is one deployed_config_drift finding owned by the gateway', async () => {
  const contract = writeContract({
    issuer: 'https://example.com',
    audience: ['bookstore_web.apps.googleusercontent.com'],
    clockToleranceSeconds: 60,
    keys: [{ jwksUri: 'https://example.com/.well-known/jwks.json' }],
  });
  const r = await runCli([
    'contract',
    'check-deployed',
    '--env',
    'staging',
    '--contract',
    contract,
    '--from',
    'envoy',
    join(FIXTURES, 'envoy.yaml'),
    '--format',
    'json',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  const drift = report.findings.map((f: { code: string; detail: { field: string }; owner: string }) => [f.code, f.detail.field, f.owner]);
  assert.deepEqual(drift, [['deployed_config_drift', 'audience', 'gateway']]);
  assert.ok(report.fields.find((f: { field: string }) => f.field === 'issuer').same);
});

test('check-deployed reads an Envoy admin config_dump over HTTP: the keys the gateway holds during a rotation', async () => {
  const oldKey = makeKey('RS256', { kid: 'old' });
  const newKey = makeKey('RS256', { kid: 'new' });
  const provider = {
    issuer: 'https://auth.example.com',
    audiences: ['orders'],
    local_jwks: { inline_string: JSON.stringify(jwksOf(oldKey)) },
    forward: true,
  };
  const dump = {
    configs: [
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        dynamic_listeners: [
          {
            name: '0.0.0.0_8080',
            active_state: {
              listener: {
                filter_chains: [
                  {
                    filters: [
                      {
                        name: 'envoy.filters.network.http_connection_manager',
                        typed_config: {
                          http_filters: [
                            {
                              name: 'envoy.filters.http.jwt_authn',
                              typed_config: {
                                '@type': 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
                                providers: { 'origins-0': provider },
                              },
                            },
                          ],
                        },
                      },
                    ],
                  },
                ],
              },
            },
          },
        ],
      },
    ],
  };
  const s = await startServer({ '/config_dump': json(dump) });
  try {
    const dir = tmp();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwksOf(oldKey, newKey)));
    const base = { issuer: 'https://auth.example.com', audience: 'orders', clockToleranceSeconds: 60 };
    const both = { ...base, keys: [{ jwk: jwksOf(oldKey).keys[0] }, { jwk: jwksOf(newKey).keys[0] }] };
    const file = join(dir, 'auth-contract.yaml');
    writeFileSync(file, JSON.stringify({ version: 1, environments: { staging: both } }));
    const r = await runCli([
      'contract',
      'check-deployed',
      '--env',
      'staging',
      '--contract',
      file,
      '--from',
      'envoy',
      `${s.url}/config_dump`,
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout);
    const keys = report.fields.find((f: { field: string }) => f.field === 'keys');
    assert.equal(keys.same, false, 'the gateway holds only the old key');
    assert.equal(keys.deployed.length, 1);
    assert.equal(keys.contract.length, 2);
    assert.equal(s.counts.get('/config_dump'), 1);
    // The same dump as rotation check's verifier key source: the new key is published, the gateway does not hold it.
    s.route('/jwks', json(jwksOf(oldKey, newKey)));
    const rot = await runCli([
      'rotation',
      'check',
      '--jwks-url',
      `${s.url}/jwks`,
      '--envoy-config-dump',
      `${s.url}/config_dump`,
      '--format',
      'json',
    ]);
    const stale = JSON.parse(rot.stdout).findings.filter((f: { code: string; actual: unknown }) => f.code === 'jwks_stale');
    assert.deepEqual(
      stale.map((f: { actual: unknown }) => f.actual),
      ['new'],
      rot.stdout,
    );
    // An admin endpoint that is down: exit 2 with a message, never a hang.
    const down = await runCli([
      'contract',
      'check-deployed',
      '--env',
      'staging',
      '--contract',
      file,
      '--from',
      'envoy',
      'http://127.0.0.1:1/config_dump',
      '--timeout',
      '2000',
    ]);
    assert.equal(down.code, 2);
  } finally {
    await s.close();
  }
  assert.ok(readFileSync(join(FIXTURES, 'envoy.yaml'), 'utf8').includes('jwt_authn'));
});
