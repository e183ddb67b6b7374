// A/B of the prepared diagnoser between two builds of jwt-doctor (each a checkout with dist/ built):
//   node bench/ab_diagnose.mjs /path/to/checkout [HS256|RS256]   -> '<name> <alg> <median ops/s>'
// Run it alternately for two checkouts: a same-hour comparison finer than the four-contender bench.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
const root = process.argv[2];
const alg = process.argv[3] || 'HS256';
// jwt-doctor/advanced since issue 10; the root entry before it.
const { existsSync } = await import('node:fs');
const { buildDiagnoser, importJwk } = await import(
  root + (existsSync(root + '/dist/advanced.js') ? '/dist/advanced.js' : '/dist/index.js')
);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = 1_800_000_000;
const secret = '0123456789abcdef0123456789abcdef';
let keys, mk;
if (alg === 'HS256') {
  keys = [importJwk({ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'k1', alg: 'HS256' }, { kind: 'jwk' })];
  mk = (i) =>
    b64({ alg, typ: 'JWT', kid: 'k1' }) + '.' + b64({ iss: 'https://i', aud: 'api', sub: 'u' + i, iat: now - 60, exp: now + 3600 });
} else {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keys = [importJwk({ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' }, { kind: 'jwk' })];
  globalThis.pk = privateKey;
  mk = (i) =>
    b64({ alg, typ: 'JWT', kid: 'k1' }) + '.' + b64({ iss: 'https://i', aud: 'api', sub: 'u' + i, iat: now - 60, exp: now + 3600 });
}
const tokens = Array.from({ length: 1000 }, (_, i) => {
  const inp = mk(i);
  const s =
    alg === 'HS256'
      ? createHmac('sha256', secret).update(inp).digest('base64url')
      : sign('sha256', Buffer.from(inp), globalThis.pk).toString('base64url');
  return inp + '.' + s;
});
const d = buildDiagnoser({ issuer: ['https://i'], audience: ['api'], algorithms: [alg] }, { keys });
if (d.diagnose(tokens[0], { now }).result !== 'valid')
  throw new Error('not valid ' + JSON.stringify(d.diagnose(tokens[0], { now }).findings));
const res = [];
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 300) {
    for (let i = 0; i < 1000; i++) d.diagnose(tokens[i], { now });
    n += 1000;
  }
  res.push(n / ((performance.now() - t0) / 1000));
}
res.sort((a, b) => a - b);
console.log(root.split('/').pop(), alg, Math.round(res[3]));
