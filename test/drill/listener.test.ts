/**
 * The drill's listener: it serves what it publishes, counts every request
 * per path (the jku / x5u fetch evidence), and the served-JWKS address is
 * read from a loopback jwksUri only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedJwksAddress, startDrillListener } from '../../src/drill/listener.ts';

test('publishes documents and counts requests per path, 404 included', async () => {
  const l = await startDrillListener('127.0.0.1', 0);
  try {
    l.publish('/jwks.json', '{"keys":[]}');
    const ok = await fetch(`${l.url}/jwks.json`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { keys: [] });
    assert.equal((await fetch(`${l.url}/nothing`)).status, 404);
    assert.equal(l.hits('/jwks.json'), 1);
    assert.equal(l.hits('/nothing'), 1);
    assert.equal(l.hits('/never'), 0);
  } finally {
    await l.close();
  }
});

test('a taken port is a usage error', async () => {
  const l = await startDrillListener('127.0.0.1', 0);
  try {
    const port = Number(new URL(l.url).port);
    await assert.rejects(startDrillListener('127.0.0.1', port), (e: Error & { code?: string }) => e.code === 'ERR_USAGE');
  } finally {
    await l.close();
  }
});

test('served JWKS address: only an http jwksUri on a loopback host with an explicit port', () => {
  assert.deepEqual(servedJwksAddress([{ pem: 'x' }, { jwksUri: 'http://127.0.0.1:8788/keys/jwks.json' }]), {
    host: '127.0.0.1',
    port: 8788,
    path: '/keys/jwks.json',
    url: 'http://127.0.0.1:8788/keys/jwks.json',
  });
  assert.equal(servedJwksAddress([{ jwksUri: 'http://localhost:9000/j' }])?.host, '127.0.0.1');
  assert.equal(servedJwksAddress([{ jwksUri: 'http://[::1]:9000/j' }])?.host, '::1');
  assert.equal(servedJwksAddress([{ jwksUri: 'https://auth.example.com/jwks.json' }]), undefined);
  assert.equal(servedJwksAddress([{ jwksUri: 'https://127.0.0.1:8443/jwks.json' }]), undefined);
  assert.equal(servedJwksAddress([{ jwksUri: 'http://127.0.0.1/jwks.json' }]), undefined);
  assert.equal(servedJwksAddress(undefined), undefined);
});
