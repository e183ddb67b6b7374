/**
 * Secret forensics (issue 11): when an HMAC signature does not verify with
 * the trusted secret as the contract reads it, other readings of the same
 * stored text that would: the text raw or trimmed of whitespace
 * (`secret_trailing_whitespace`), under another encoding (`secret_encoding`,
 * the `secret_encoding_mismatch` finding), or base64-decoded twice
 * (`secret_double_encoded`). Pure, bounded by the budget; secrets are named
 * by keyed fingerprint only (fingerprintSecret), never by bytes.
 */
import { makeFinding, type Finding, type OwnerRole } from '../reasons.ts';
import {
  alternateSecretReadings,
  doubleDecodedSecretReadings,
  otherWhitespaceReading,
  secretBytesLookEncoded,
  secretWhitespace,
  type KeyRecord,
} from '../keys/import.ts';
import { verifyWithKey } from '../checks/signature.ts';
import type { ForensicCause, ForensicCauseName, ForensicProbe, ForensicsInput } from './types.ts';

/** The causes of this half of issue 11: owner and one-line fix, for the causes registry and its docs table. */
export const CAUSES_SECRET = {
  secret_trailing_whitespace: {
    owner: 'secrets',
    title: 'the stored secret begins or ends with whitespace (a newline from echo without -n), and signer and verifier read it differently',
    fix: "Store the secret without the newline (printf '%s', echo -n, kubectl create secret --from-literal), or make both sides read it the same way (contract: secret.trim true when the verifier trims).",
  },
  secret_double_encoded: {
    owner: 'secrets',
    title: 'the stored secret is base64 of text that already was base64 (a Kubernetes data: value made from an encoded secret)',
    fix: 'Store the secret base64-encoded once (Kubernetes data: is base64 of the raw secret; use stringData: for text that already is base64).',
  },
  secret_encoding: {
    owner: 'secrets',
    title: 'the HMAC secret verifies only when its text is read with another encoding (utf8, base64, base64url, hex)',
    fix: 'Read the secret with the same encoding on signer and verifier (contract: secret.encoding).',
  },
  key_use_excluded: {
    owner: 'signer',
    title: 'a key with the token\'s kid exists but is excluded by its use ("enc"), key_ops (no "verify") or its own alg',
    fix: 'Publish the signing key with use "sig", key_ops ["verify"] (or neither) and the alg the token names, or sign with the key published for signatures.',
  },
  key_from_other_environment: {
    owner: 'secrets',
    title: 'the signature verifies with a key of another environment of the contract',
    fix: 'The token was minted against another environment: point the client or signer at this one.',
  },
} as const satisfies Partial<Record<ForensicCauseName, { owner: OwnerRole; title: string; fix: string }>>;

/** A per-key memo: each reading is imported once per key (a KeyObject and a fingerprint), only when a probe asks. */
function memo<T>(read: (key: KeyRecord) => T): (key: KeyRecord) => T {
  const cache = new WeakMap<KeyRecord, { value: T }>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = { value: read(key) }));
    return hit.value;
  };
}
const whitespaceReadingOf = memo(otherWhitespaceReading);
const encodingReadingsOf = memo(alternateSecretReadings);
const layeredReadingsOf = memo(doubleDecodedSecretReadings);

/** One bounded verification of the token with `key` under the token's alg; false once the budget is spent. */
export function spendVerification(input: ForensicsInput, key: KeyRecord): boolean {
  const alg = input.alg;
  if (!alg || input.budget.remaining <= 0 || !key.algorithms.includes(alg.name)) return false;
  input.budget.remaining--;
  return verifyWithKey(alg, key, input.token.signingInput, input.token.signature);
}

/** The trusted HMAC secrets a secret probe reads, when the token is an HMAC token. */
function trustedSecrets(input: ForensicsInput): KeyRecord[] {
  return input.alg?.kty === 'oct' ? input.trusted.filter((k) => k.kty === 'oct') : [];
}

function where(key: KeyRecord): Record<string, unknown> {
  return {
    ...(key.kid !== undefined ? { kid: key.kid } : {}),
    ...(key.source.location !== undefined ? { location: key.source.location } : {}),
    ...(key.source.env !== undefined ? { env: key.source.env } : {}),
  };
}

/**
 * The whitespace evidence of a secret and its other reading: which reading
 * the contract uses, which one verifies, the whitespace by character name,
 * and both readings' fingerprints.
 */
function whitespaceEvidence(key: KeyRecord, other: KeyRecord, verifies: KeyRecord): Record<string, unknown> {
  const ws = secretWhitespace(key)!;
  const [raw, trimmed] = key.source.reading === 'raw' ? [key, other] : [other, key];
  return {
    ...where(key),
    configuredReading: key.source.reading,
    verifiesWith: verifies.source.reading,
    trailing: ws.trailing,
    ...(ws.leading.length > 0 ? { leading: ws.leading } : {}),
    fingerprints: { raw: raw.fingerprint, trimmed: trimmed.fingerprint },
  };
}

const WHITESPACE_HINT = {
  raw: "The secret is stored with whitespace at an end (a newline from echo without -n) and the signer signed without it: store it without (printf '%s', echo -n), or, if this verifier trims, say so in the contract (secret.trim: true).",
  trimmed:
    "The signer signed with the stored secret's whitespace included (a newline from echo without -n), but this verifier trims it: store the secret without the whitespace on both sides (printf '%s', echo -n).",
} as const;

/**
 * `secret_trailing_whitespace`: the stored secret has whitespace at an end
 * and the token verifies only under the other reading (raw vs trimmed).
 * One verification per such secret.
 */
export const probeSecretWhitespace: ForensicProbe = (input) => {
  const out: ForensicCause[] = [];
  for (const key of trustedSecrets(input)) {
    const other = whitespaceReadingOf(key);
    if (!other || !spendVerification(input, other)) continue;
    out.push({
      cause: 'secret_trailing_whitespace',
      owner: 'secrets',
      hint: WHITESPACE_HINT[key.source.reading ?? 'raw'],
      verifies: true,
      evidence: whitespaceEvidence(key, other, other),
    });
  }
  return out;
};

/**
 * The warning for a token that verified with a secret whose stored text
 * has whitespace at an end: it verified under the configured reading, and
 * a verifier reading the value the other way rejects it. Computed once per
 * key and header plan (no verification: the other reading is another key).
 */
export function secretReadingWarning(key: KeyRecord): Finding | undefined {
  if (key.kty !== 'oct') return undefined;
  const other = whitespaceReadingOf(key);
  if (!other) return undefined;
  const evidence = whitespaceEvidence(key, other, key);
  const hint =
    key.source.reading === 'raw'
      ? "This token was signed with the secret's whitespace included (read raw): a verifier that trims the value rejects it. Store the secret without it (printf '%s', echo -n) on every side."
      : 'This token was signed with the trimmed secret: a verifier that reads the stored value raw (fs.readFileSync, process.env, a Kubernetes secret) rejects it. Store the secret without the whitespace.';
  return makeFinding('secret_encoding_mismatch', {
    severity: 'warning',
    claim: 'signature',
    hint,
    detail: {
      cause: 'secret_trailing_whitespace',
      verifiesWith: key.source.reading,
      trailing: evidence.trailing,
      evidence: { ...evidence, verifies: true },
      fingerprint: key.fingerprint,
    },
  });
}

/**
 * `secret_encoding` (today's `secret_encoding_mismatch`): the stored text
 * read under another encoding (utf8, base64, base64url, hex) verifies. At
 * most three verifications per secret.
 */
export const probeSecretEncoding: ForensicProbe = (input) => {
  const out: ForensicCause[] = [];
  for (const key of trustedSecrets(input)) {
    for (const alt of encodingReadingsOf(key)) {
      if (input.budget.remaining <= 0) return out;
      if (!spendVerification(input, alt)) continue;
      out.push({
        cause: 'secret_encoding',
        owner: 'secrets',
        hint: `The signer reads the secret as ${alt.source.encoding}, this verifier as ${key.source.encoding}: read it with the same encoding on both sides (contract: secret.encoding).`,
        verifies: true,
        evidence: {
          verifiesAs: alt.source.encoding,
          configuredEncoding: key.source.encoding,
          fingerprint: alt.fingerprint,
          configuredFingerprint: key.fingerprint,
          location: key.source.location,
        },
      });
    }
  }
  return out;
};

/**
 * `secret_double_encoded`: the stored text decoded from base64 twice
 * verifies: the text was base64 of text that already was base64. When the
 * contract reads it as base64, this verifier's key is itself base64 text
 * (`configuredKeyIsBase64Text`). At most four verifications per secret.
 */
export const probeSecretDoubleEncoded: ForensicProbe = (input) => {
  const out: ForensicCause[] = [];
  for (const key of trustedSecrets(input)) {
    for (const d of layeredReadingsOf(key)) {
      if (input.budget.remaining <= 0) return out;
      if (!spendVerification(input, d.record)) continue;
      out.push({
        cause: 'secret_double_encoded',
        owner: 'secrets',
        hint: `The stored secret is base64-encoded twice (${d.layers.join(' of ')}); the signer uses the secret decoded twice: store it encoded once (Kubernetes data: holds base64 of the raw secret; put text that already is base64 in stringData:).`,
        verifies: true,
        evidence: {
          ...where(key),
          layers: d.layers,
          configuredEncoding: key.source.encoding,
          configuredKeyIsBase64Text: secretBytesLookEncoded(key),
          fingerprint: d.record.fingerprint,
          configuredFingerprint: key.fingerprint,
        },
      });
    }
  }
  return out;
};

/** The `secret_encoding_mismatch` finding of a `secret_encoding` cause: the fields it always had, plus cause and evidence. */
export function secretEncodingFinding(c: ForensicCause): Finding {
  const e = c.evidence;
  return makeFinding('secret_encoding_mismatch', {
    claim: 'signature',
    expected: e.configuredEncoding,
    actual: e.verifiesAs,
    detail: { ...e, cause: c.cause, evidence: e },
  });
}
