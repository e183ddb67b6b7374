import { readFileSync } from 'node:fs';
import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import {
  alternateSecretReadings,
  otherWhitespaceReading,
  fingerprintSecret,
  importJwk,
  jwkThumbprint,
  importPem,
  importSecretText,
  KeyImportError,
  type KeyRecord,
  type SecretEncoding,
} from '../keys/import.ts';
import { keyContextFor, resolveKeys, type KeySpec } from '../keys/sources.ts';
import { makeFinding, type Finding } from '../reasons.ts';

export const DRIFT_SCHEMA = 'jwt-doctor/drift/v1';

export interface DriftField {
  field: string;
  from: unknown;
  to: unknown;
  same: boolean;
}

/** A trusted key by identity: thumbprint (public) or keyed fingerprint (secret). */
export interface TrustedKey {
  identity: string;
  kid?: string;
  kty: string;
  alg?: string;
  source: string;
}

export interface SignerTrust {
  env: string;
  trusted: boolean;
  /** The env's allowed algorithms include one the signer key can produce. */
  algorithmAllowed: boolean;
  /** For secrets: trusted only when read under another encoding. */
  trustedWithEncoding?: SecretEncoding;
  matchedKid?: string;
}

export interface DriftReport {
  schema: typeof DRIFT_SCHEMA;
  from: string;
  to: string;
  fields: DriftField[];
  keys: { both: TrustedKey[]; onlyFrom: TrustedKey[]; onlyTo: TrustedKey[] };
  signer?: {
    identity: string;
    kty: string;
    kid?: string;
    algorithms: string[];
    /** How the signer reads its secret (secrets only). */ encoding?: SecretEncoding;
    trust: SignerTrust[];
  };
  findings: Finding[];
  /** Number of fields or keys that differ. */
  differences: number;
}

/**
 * A key source as shown in reports: where it is read from, never a secret
 * value (a literal secret shows as its fingerprint only through key identity).
 *
 * @example describeKeySpec({ secret: { env: 'JWT_SECRET', encoding: 'base64' } }) // 'secret env:JWT_SECRET (base64)'
 */
export function describeKeySpec(spec: KeySpec): string {
  if ('jwksFile' in spec) return `jwksFile ${spec.jwksFile}`;
  if ('jwksUri' in spec) return `jwksUri ${spec.jwksUri}`;
  if ('discovery' in spec) return `discovery ${spec.discovery === true ? '(issuer)' : spec.discovery}`;
  if ('pem' in spec) return `pem ${spec.pem.includes('-----BEGIN') ? '(inline)' : spec.pem}`;
  if ('jwk' in spec) return `jwk ${typeof spec.jwk === 'string' ? spec.jwk : `(inline ${inlineIdentity(spec.jwk)})`}`;
  const s = typeof spec.secret === 'string' ? { value: spec.secret } : spec.secret;
  // A literal secret shows as its keyed fingerprint so two different literals never look the same.
  const where =
    s.env !== undefined
      ? `env:${s.env}`
      : s.file !== undefined
        ? `file:${s.file}`
        : `literal ${fingerprintSecret(Buffer.from(s.value ?? '', 'utf8'))}`;
  return `secret ${where} (${s.encoding ?? 'utf8'})`;
}

// An inline JWK is named by its identity; an oct key by the keyed fingerprint (an
// RFC 7638 thumbprint of a secret is an unkeyed hash of it).
function inlineIdentity(jwk: Record<string, unknown>): string {
  try {
    if (jwk.kty === 'oct' && typeof jwk.k === 'string') return fingerprintSecret(Buffer.from(jwk.k, 'base64url'));
    return jwkThumbprint(jwk);
  } catch {
    return 'invalid';
  }
}

/** The signer's key as given to `drift --signer-key` / `--signer-secret`. */
export type SignerKeyInput = { file: string } | { secret: string; encoding: SecretEncoding };

/**
 * Imports the signer's key: private or public PEM, certificate, JWK (a
 * private JWK is reduced to its public half), or an HMAC secret. Throws
 * KeyImportError with a message that never carries the material.
 *
 * @example importSignerKey({ file: 'keys/staging-signer.private.pem' }).thumbprint
 */
export function importSignerKey(input: SignerKeyInput): KeyRecord {
  if ('secret' in input) return importSecretText(input.secret, input.encoding, { kind: 'secret', location: 'signer' });
  let text: string;
  try {
    text = readFileSync(input.file, 'utf8');
  } catch (e) {
    throw new KeyImportError(`cannot read ${input.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (text.includes('-----BEGIN')) return importPem(text, { kind: 'pem', location: input.file });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new KeyImportError(`${input.file} is neither PEM nor JSON (JWK)`);
  }
  return importJwk(doc, { kind: 'jwk', location: input.file });
}

function idOf(k: KeyRecord): string | undefined {
  return k.thumbprint ?? k.fingerprint;
}

function trusted(k: KeyRecord): TrustedKey {
  return {
    identity: idOf(k)!,
    ...(k.kid !== undefined ? { kid: k.kid } : {}),
    kty: k.kty,
    ...(k.alg !== undefined ? { alg: k.alg } : {}),
    source: `${k.source.kind} ${k.source.location ?? ''}`.trim(),
  };
}

function equal(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? [...v].map(String).sort() : (v ?? null));
  return norm(a) === norm(b);
}

export interface CompareOptions {
  signer?: KeyRecord;
  timeoutMs?: number;
  vars?: Record<string, string | undefined>;
}

/**
 * Two environments of a contract side by side: issuer, audience,
 * algorithms, typ, tolerance, required claims, key sources, and key
 * identity (which keys both trust, which only one does). With a signer
 * key, which environments' verifiers trust it. Secrets are compared by
 * `fingerprintSecret` only.
 *
 * @example const r = await compareEnvironments(contract, 'staging', 'prod'); r.keys.onlyFrom
 */
export async function compareEnvironments(
  contract: Contract,
  from: string,
  to: string,
  options: CompareOptions = {},
): Promise<DriftReport> {
  const fields = compareFields(contract.environments[from]!, contract.environments[to]!);
  const resolveEnv = (e: Expectations) =>
    resolveKeys(
      e.keys ?? [],
      keyContextFor(e, {
        baseDir: contract.baseDir,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.vars ? { vars: options.vars } : {}),
      }),
    );
  const names = Object.keys(contract.environments);
  const resolved = new Map(await Promise.all(names.map(async (n) => [n, await resolveEnv(contract.environments[n]!)] as const)));
  const findings: Finding[] = [...resolved.get(from)!.findings, ...resolved.get(to)!.findings];
  const keys = compareKeys(resolved.get(from)!.keys, resolved.get(to)!.keys);
  const report: DriftReport = {
    schema: DRIFT_SCHEMA,
    from,
    to,
    fields,
    keys,
    findings,
    differences: fields.filter((f) => !f.same).length + keys.onlyFrom.length + keys.onlyTo.length,
  };
  if (options.signer) report.signer = signerTrust(contract, resolved, options.signer, [from, to], findings);
  return report;
}

/** The settings of two environments, field by field. */
function compareFields(a: Expectations, b: Expectations): DriftField[] {
  const fields: DriftField[] = [];
  const field = (name: string, x: unknown, y: unknown) => fields.push({ field: name, from: x ?? null, to: y ?? null, same: equal(x, y) });
  field('issuer', a.issuer, b.issuer);
  field('audience', a.audience, b.audience);
  field('algorithms', a.algorithms, b.algorithms);
  field('typ', a.typ, b.typ);
  field('clockToleranceSeconds', a.clockToleranceSeconds, b.clockToleranceSeconds);
  field('maxTokenAgeSeconds', a.maxTokenAgeSeconds, b.maxTokenAgeSeconds);
  field('requiredClaims', a.requiredClaims, b.requiredClaims);
  field('claims', a.claims, b.claims);
  field('keySources', (a.keys ?? []).map(describeKeySpec), (b.keys ?? []).map(describeKeySpec));
  return fields;
}

/** Key identity on both sides: trusted by both, only by `from`, only by `to` (one row per identity). */
function compareKeys(from: KeyRecord[], to: KeyRecord[]): DriftReport['keys'] {
  const ka = from.filter(idOf);
  const kb = to.filter(idOf);
  const idsB = new Set(kb.map(idOf));
  const idsA = new Set(ka.map(idOf));
  const dedupe = (ks: KeyRecord[]) => [...new Map(ks.map((k) => [idOf(k)!, trusted(k)])).values()];
  return {
    both: dedupe(ka.filter((k) => idsB.has(idOf(k)))),
    onlyFrom: dedupe(ka.filter((k) => !idsB.has(idOf(k)))),
    onlyTo: dedupe(kb.filter((k) => !idsA.has(idOf(k)))),
  };
}

/**
 * Which environments' verifiers trust the signer's key (and allow an
 * algorithm it produces); pushes a warning for each of `compared` that does not.
 */
function signerTrust(
  contract: Contract,
  resolved: Map<string, { keys: KeyRecord[] }>,
  s: KeyRecord,
  compared: readonly string[],
  findings: Finding[],
): NonNullable<DriftReport['signer']> {
  const sid = idOf(s)!;
  const alternates = alternateSecretReadings(s);
  const trust: SignerTrust[] = [];
  for (const [n, env] of Object.entries(contract.environments)) {
    const envKeys = resolved.get(n)!.keys;
    const match = envKeys.find((k) => idOf(k) === sid);
    const algs = env.algorithms ?? s.algorithms;
    const row: SignerTrust = { env: n, trusted: Boolean(match), algorithmAllowed: s.algorithms.some((x) => algs.includes(x)) };
    if (match?.kid !== undefined) row.matchedKid = match.kid;
    if (!match) {
      // The same secret text read under another encoding (RFC 7518 section 3.2 keys are bytes, not text).
      // An environment that reads the text raw, whitespace included, still holds the same text (src/keys/import.ts otherWhitespaceReading).
      const alt = alternates.find((r) =>
        envKeys.some(
          (k) =>
            k.fingerprint !== undefined && (k.fingerprint === r.fingerprint || otherWhitespaceReading(k)?.fingerprint === r.fingerprint),
        ),
      );
      if (alt?.source.encoding) row.trustedWithEncoding = alt.source.encoding;
    }
    trust.push(row);
    if (compared.includes(n) && !(row.trusted && row.algorithmAllowed)) {
      const code = row.trustedWithEncoding ? 'secret_encoding_mismatch' : 'signer_key_untrusted';
      findings.push(
        makeFinding(code, {
          severity: 'warning',
          claim: 'keys',
          detail: {
            env: n,
            signer: sid,
            ...(s.kid !== undefined ? { kid: s.kid } : {}),
            trusted: row.trusted,
            algorithmAllowed: row.algorithmAllowed,
            ...(row.trustedWithEncoding ? { signerEncoding: s.source.encoding, verifierEncoding: row.trustedWithEncoding } : {}),
          },
        }),
      );
    }
  }
  return {
    identity: sid,
    kty: s.kty,
    ...(s.kid !== undefined ? { kid: s.kid } : {}),
    algorithms: s.algorithms,
    ...(s.source.encoding ? { encoding: s.source.encoding } : {}),
    trust,
  };
}
