/**
 * Regenerates the bundled example: key material for three environments
 * and tokens minted by the staging identity provider. Run once; the
 * outputs are committed so `npm start` needs no setup.
 *   node --import tsx scripts/make-examples.ts
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const dir = new URL('../examples/', import.meta.url);
const write = (p: string, s: string) => writeFileSync(new URL(p, dir), s);

const staging = generateKeyPairSync('rsa', { modulusLength: 2048 });
const prod = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = (k: typeof staging.publicKey, kid: string, alg: string) => ({ ...k.export({ format: 'jwk' }), kid, alg, use: 'sig' });
write('keys/staging.jwks.json', JSON.stringify({ keys: [jwk(staging.publicKey, 'staging-2026-11', 'RS256')] }, null, 2) + '\n');
write('keys/prod.jwks.json', JSON.stringify({ keys: [jwk(prod.publicKey, 'prod-2026-10', 'ES256')] }, null, 2) + '\n');
write('keys/staging-signer.private.pem', staging.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
write('keys/prod-signer.private.pem', prod.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
const secret = randomBytes(32).toString('base64');
write('keys/local.secret', secret + '\n');

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const iat = Date.parse('2026-11-28T12:00:00Z') / 1000;
function mintRs(payload: object) {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'staging-2026-11' };
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(staging.privateKey.export({ format: 'pem', type: 'pkcs8' }))).toString('base64url')}`;
}
const claims = {
  iss: 'https://auth.staging.example.com',
  sub: 'user-1234',
  aud: 'web-staging',
  azp: 'web',
  scope: 'openid orders:read',
  iat,
  exp: iat + 3600,
  jti: 'a3f1c2e4-example',
};
write('tokens/local-login.jwt', mintRs(claims) + '\n');
// An HS256 token signed with the local secret read as base64 (the signer's reading).
const hsInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iss: 'http://localhost:4000', aud: 'web-local' })}`;
write('tokens/local-hs256.jwt', `${hsInput}.${createHmac('sha256', Buffer.from(secret, 'base64')).update(hsInput).digest('base64url')}\n`);
console.log('examples regenerated');
