/**
 * Wycheproof (issue 8 item 6): every vector of C2SP/wycheproof's JSON Web
 * Signature and JSON Web Key tests (test/fixtures/wycheproof/, commit in
 * NOTICE.md) gets the vector's verdict: `valid` -> our diagnosis verifies
 * the signature, `invalid` -> it does not. Exceptions are listed below,
 * each allowed by a flag of the vector itself.
 *
 * The vectors sign arbitrary JWS payloads ("foo", "", binary), not JWT
 * claim sets, so `diagnose` also reports the payload as `malformed_token`
 * (RFC 7519 section 7.2: a JWT payload is a JSON object). That finding is
 * about the JWT layer, not the JWS verdict: the verdict is taken from every
 * other finding of the diagnosis plus the signature layer the diagnoser's
 * header plan uses (checkAlgorithm, selectKeys, verifierFor), run on the
 * diagnoser's own trusted keys.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import type { Diagnoser, Diagnosis } from '../../src/diagnose.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { checkAlgorithm, selectKeys, verifierFor } from '../../src/checks/signature.ts';
import { decodeBase64url } from '../../src/token/base64url.ts';
import { codes, NOW } from '../helpers/index.ts';

interface Vector {
  tcId: number;
  comment: string;
  jws: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface Group {
  comment: string;
  public?: Record<string, unknown>;
  private?: Record<string, unknown>;
  tests: Vector[];
}
interface VectorFile {
  numberOfTests: number;
  notes: Record<string, unknown>;
  testGroups: Group[];
}

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/wycheproof/${name}`, import.meta.url), 'utf8')) as VectorFile;
const jws = load('json_web_signature_test.json');
const jwk = load('json_web_key_test.json');

/**
 * Documented exceptions: tcId -> the vector flag that allows our verdict to
 * differ, and why. A local key set (the contract's `jwk`/`jwksFile`) may
 * legitimately mix shared secrets and public keys (issue 8: "a local JWK Set
 * file may legitimately hold shared secrets"); Wycheproof marks both cases
 * Ambiguous ("not well defined by the RFCs").
 */
const EXCEPTIONS: Record<string, { flag: string; why: string }> = {
  'json_web_key_test#1': {
    flag: 'MixedKeySet',
    why: 'a local key set may hold an HS256 secret next to public keys; the kid selects the secret, which verifies',
  },
  'json_web_key_test#4': {
    flag: 'DuplicateKid',
    why: 'two local keys share a kid; the one that verifies is used (RFC 7517 section 4.5 leaves kid uniqueness to the application)',
  },
};

interface DivergenceContext {
  diagnosis: Diagnosis;
  codes: string[];
  diagnoser: Diagnoser;
  group: Group;
}

/** The short secret verifies a claim set it signs, and the diagnosis says weak_key (RFC 7518 section 3.2). */
function shortSecretWarned(c: DivergenceContext): void {
  const key = (c.group.private as { keys: { k: string; kid: string; alg: string }[] }).keys[0]!;
  const input = `${Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid })).toString('base64url')}.${Buffer.from('{"sub":"a"}').toString('base64url')}`;
  const mac = createHmac(`sha${key.alg.slice(2)}`, Buffer.from(key.k, 'base64url'))
    .update(input)
    .digest('base64url');
  const d = c.diagnoser.diagnose(`${input}.${mac}`, { now: NOW });
  assert.equal(d.signature.status, 'pass');
  assert.ok(d.findings.some((f) => f.code === 'weak_key' && f.severity === 'warning'));
}

/**
 * Divergences the vectors' flags do NOT cover, each a deliberate choice with
 * the assertion of what we do instead. Reported to the lead; not silent.
 */
const DIVERGENCES: Record<string, { why: string; check: (c: DivergenceContext) => void }> = {
  // The key's JWK "alg" (RFC 7517 section 4.4) is PS256 / ES521 while the token says PS384 / ES512: we bind a key to its
  // declared alg (RFC 8725 section 3.1), as jose's JWKS key selection does. The vector expects the key to verify anyway.
  'json_web_signature_test#346': { why: 'key alg PS256, token PS384', check: (c) => assert.deepEqual(c.codes, ['alg_not_allowed']) },
  'json_web_signature_test#347': {
    why: 'key alg ES521 (not a JWS alg), token ES512',
    check: (c) => assert.deepEqual(c.codes, ['alg_not_allowed']),
  },
  'json_web_signature_test#350': { why: 'key alg PS256, token PS384', check: (c) => assert.deepEqual(c.codes, ['alg_not_allowed']) },
  'json_web_signature_test#351': {
    why: 'key alg ES521 (not a JWS alg), token ES512',
    check: (c) => assert.deepEqual(c.codes, ['alg_not_allowed']),
  },
  // Byte-for-byte the same JWS as tcId 357 (ValidMac, valid): the vector generator lost the padding it meant to add.
  // One string cannot be both; we follow 357.
  'json_web_signature_test#367': { why: 'identical to the valid tcId 357', check: (c) => assert.deepEqual(jwsFindings(c.diagnosis), []) },
  'json_web_signature_test#370': { why: 'identical to the valid tcId 357', check: (c) => assert.deepEqual(jwsFindings(c.diagnosis), []) },
  // A "?" inserted into the header / payload text, with the MAC of the text without it: only a decoder that skips
  // non-alphabet characters and MACs the re-encoded text accepts this. RFC 7515 section 2 and our strict base64url refuse it.
  'json_web_signature_test#372': {
    why: 'non-alphabet character in the header segment',
    check: (c) => assert.ok(c.codes.includes('malformed_token'), c.codes.join()),
  },
  'json_web_signature_test#373': {
    why: 'non-alphabet character in the payload segment',
    check: (c) => assert.ok(c.codes.includes('malformed_token'), c.codes.join()),
  },
  // RFC 7518 section 3.2 asks for a secret as long as the hash output; jwt-doctor verifies with a shorter one and reports
  // weak_key (a diagnosis must still tell "signature verifies" from "wrong secret"); `keys` reports hmac_secret_too_short.
  'json_web_key_test#10': { why: 'HS256 secret of 31 bytes', check: shortSecretWarned },
  'json_web_key_test#11': { why: 'HS384 secret of 47 bytes', check: shortSecretWarned },
  'json_web_key_test#12': { why: 'HS512 secret of 63 bytes', check: shortSecretWarned },
};

/** Keys of a group as a contract key spec: the public JWK, or the private one for oct (shared secret). */
function keySpec(group: Group): { jwk: Record<string, unknown> } {
  return { jwk: (group.public ?? group.private)! };
}

/** Everything of the diagnosis that is not the JWT-layer "payload is not a claim set" finding (base64url problems stay). */
function jwsFindings(d: Diagnosis) {
  return d.findings.filter(
    (f) => f.severity === 'error' && !(f.code === 'malformed_token' && f.claim === 'payload' && !String(f.actual).includes('base64url')),
  );
}

/** Our JWS verdict: the diagnosis has no error outside the payload, and a trusted key verifies the signature. */
function verdict(d: Diagnoser, token: string): { verified: boolean; codes: string[] } {
  const diagnosis = d.diagnose(token, { now: NOW });
  // diagnose strips whitespace from a pasted token and says so (input.stripped): the string as presented was not a
  // compact JWS, and the middleware refuses it (header_malformed). For a verdict on the presented string, that is a rejection.
  if (diagnosis.input.stripped.length > 0) return { verified: false, codes: ['input.stripped'] };
  const errors = jwsFindings(diagnosis);
  if (errors.length > 0) return { verified: false, codes: codes(errors) };
  if (diagnosis.result === 'valid' || diagnosis.signature.status === 'pass')
    return { verified: diagnosis.signature.status === 'pass', codes: [] };
  // Payload not a JSON object: the diagnoser skipped the signature; run the same layer it uses.
  const header = diagnosis.header;
  if (!header) return { verified: false, codes: ['no header'] };
  const alg = checkAlgorithm(header, new Set(diagnosis.expected.algorithms));
  if (!alg.alg) return { verified: false, codes: codes(alg) };
  const sel = selectKeys(header, alg.alg, d.keys);
  if (sel.findings.some((f) => f.severity === 'error')) return { verified: false, codes: codes(sel) };
  const [h, p, s] = token.split('.') as [string, string, string];
  const verify = verifierFor(alg.alg);
  const sig = decodeBase64url(s);
  return { verified: sel.keys.some((k) => verify(k, `${h}.${p}`, sig)), codes: [] };
}

function runFile(name: string, file: VectorFile): void {
  describe(`wycheproof ${name}`, () => {
    test('the fixture holds every vector it announces', () => {
      assert.equal(
        file.testGroups.reduce((n, g) => n + g.tests.length, 0),
        file.numberOfTests,
      );
    });
    for (const group of file.testGroups) {
      for (const v of group.tests) {
        const id = `${name}#${v.tcId}`;
        const exception = EXCEPTIONS[id];
        test(`${id} ${group.comment} ${v.comment} -> ${v.result}${v.flags.length ? ` [${v.flags.join(', ')}]` : ''}`, async () => {
          const d = await createDiagnoser({ name: 'wycheproof', keys: [keySpec(group)] });
          const out = verdict(d, v.jws);
          const divergence = DIVERGENCES[id];
          if (divergence) {
            assert.notEqual(out.verified, v.result === 'valid', `${id} now matches the vector: drop the divergence`);
            divergence.check({ diagnosis: d.diagnose(v.jws, { now: NOW }), codes: out.codes, diagnoser: d, group });
            return;
          }
          if (exception) {
            assert.ok(v.flags.includes(exception.flag), `exception ${id} needs flag ${exception.flag}`);
            return;
          }
          assert.notEqual(v.result, 'acceptable', 'no acceptable vectors expected in these files');
          assert.equal(out.verified, v.result === 'valid', `verdict ${out.verified ? 'verified' : 'rejected'} (${out.codes.join(', ')})`);
        });
      }
    }
  });
}

runFile('json_web_signature_test', jws);
runFile('json_web_key_test', jwk);

test('every documented exception is still needed and carries its flag', async () => {
  for (const [id, ex] of Object.entries(EXCEPTIONS)) {
    const [name, tc] = id.split('#') as [string, string];
    const file = name === 'json_web_key_test' ? jwk : jws;
    const group = file.testGroups.find((g) => g.tests.some((t) => t.tcId === Number(tc)))!;
    const v = group.tests.find((t) => t.tcId === Number(tc))!;
    assert.ok(v.flags.includes(ex.flag), id);
    const d = await createDiagnoser({ name: 'wycheproof', keys: [keySpec(group)] });
    assert.notEqual(verdict(d, v.jws).verified, v.result === 'valid', `${id} now matches the vector: drop the exception`);
  }
});
