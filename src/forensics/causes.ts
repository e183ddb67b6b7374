/**
 * The forensic causes (issue 11): one registry, as src/reasons.ts is for
 * codes. Each cause is a documented value of `detail.cause` on the finding
 * it explains, with who fixes it and how; docs/reason-codes.md's causes
 * table is generated from this table (scripts/reason-table.ts).
 *
 * A cause never changes a code or a verdict: it refines the finding's
 * owner and hint (makeFinding overrides) and adds evidence.
 */
import type { OwnerRole, ReasonCode } from '../reasons.ts';
import type { ForensicCause, ForensicCauseName } from './types.ts';

export interface ForensicCauseEntry {
  owner: OwnerRole;
  /** One line: what was found. */
  title: string;
  /** One line: the fix direction. */
  hint: string;
  /** The findings this cause can explain, in order of preference. */
  explains: readonly ReasonCode[];
}

const SIGNATURE: readonly ReasonCode[] = ['signature_invalid', 'key_not_found', 'alg_not_allowed'];

export const FORENSIC_CAUSES: Readonly<Record<ForensicCauseName, ForensicCauseEntry>> = {
  ecdsa_der_encoding: {
    owner: 'signer',
    title: 'ECDSA signature is ASN.1 DER, not the raw R||S of RFC 7518 section 3.4; converted to raw it verifies',
    hint: 'Emit the JOSE (raw R||S) signature: Node crypto.sign with dsaEncoding: \'ieee-p1363\'; Java Signature "SHA256withECDSAinP1363Format" or convert with Nimbus ECDSA.transcodeSignatureToConcat; .NET ECDsa.SignData (IEEE P1363 default, not SignDataDer / DSASignatureFormat.Rfc3279DerSequence); AWS KMS Sign returns DER: convert it; OpenSSL dgst -sign gives DER: convert it.',
    explains: SIGNATURE,
  },
  ecdsa_wrong_length: {
    owner: 'signer',
    title: 'ECDSA signature has the wrong length for the algorithm (RFC 7518 section 3.4: R and S each left-padded to the curve size)',
    hint: 'Emit R and S each as a fixed-length, left-zero-padded integer of the curve size (32 bytes for ES256, 48 for ES384, 66 for ES512), and sign with the curve the alg names.',
    explains: SIGNATURE,
  },
  signature_truncated: {
    owner: 'gateway',
    title: 'signature shorter than the algorithm and key require: the token was cut',
    hint: 'Something cut the token: raise the header size limit on the proxy or gateway (nginx large_client_header_buffers, a load balancer header limit, a cookie size limit), or send a smaller token; check copy/paste and log truncation.',
    explains: ['signature_invalid', 'malformed_token'],
  },
  rsa_padding_mismatch: {
    owner: 'signer',
    title: 'RSA signature made with the other padding (PKCS#1 v1.5 vs PSS) or a PSS salt length other than the hash size',
    hint: 'Sign RS* with PKCS#1 v1.5 and PS* with PSS, MGF1 with the same hash and a salt as long as the hash output (RFC 7518 sections 3.3 and 3.5), or put the alg that matches the signature in the header.',
    explains: SIGNATURE,
  },
  hash_mismatch: {
    owner: 'signer',
    title: 'signature verifies with the same key under another hash of the family than the header names',
    hint: "Make the header's alg name the algorithm the signer actually uses (or sign with the one the header names): same key, other hash (RFC 7515 section 4.1.1).",
    explains: SIGNATURE,
  },
  secret_trailing_whitespace: {
    owner: 'secrets',
    title: 'stored HMAC secret ends with whitespace or a newline; one reading (raw or trimmed) verifies',
    hint: 'Store the secret without a trailing newline (echo -n, printf, kubectl create secret --from-literal) and have signer and verifier read the same bytes.',
    explains: SIGNATURE,
  },
  secret_double_encoded: {
    owner: 'secrets',
    title: 'HMAC secret verifies after decoding base64 twice, or as its base64 text',
    hint: 'Encode the secret once: a Kubernetes data: value is base64 of the raw secret (use stringData: for text), and signer and verifier agree on one encoding.',
    explains: SIGNATURE,
  },
  secret_encoding: {
    owner: 'secrets',
    title: 'HMAC secret verifies when read with another encoding (utf8, base64, base64url, hex)',
    hint: 'Read the secret with the same encoding on signer and verifier (the contract secret encoding:).',
    explains: SIGNATURE,
  },
  key_use_excluded: {
    owner: 'verifier',
    title: "a key with the token's kid exists but its use, key_ops or alg excludes it",
    hint: 'Publish the signing key with "use": "sig" (or key_ops including "verify") and the alg the signer uses, or have the signer use the key published for signatures (RFC 7517 sections 4.2-4.4).',
    explains: ['key_not_found', 'alg_not_allowed', 'signature_invalid'],
  },
  token_reencoded: {
    owner: 'gateway',
    title: 'token re-encoded on its way (standard base64 alphabet, padding or URL escaping); canonical base64url verifies',
    hint: 'Forward the token byte for byte: no URL-escaping, no re-encoding to standard base64 or padding (RFC 7515 section 2: base64url without padding). Strict verifiers rightly refuse it.',
    explains: ['malformed_token'],
  },
  key_from_other_environment: {
    owner: 'secrets',
    title: 'signature verifies with a key of another environment of the contract',
    hint: 'The token was minted against another environment: point the client or signer at this one.',
    explains: SIGNATURE,
  },
};

export const FORENSIC_CAUSE_NAMES = Object.keys(FORENSIC_CAUSES) as ForensicCauseName[];

/**
 * A cause with the registry's owner and hint; a probe may override either
 * (a re-encoding a client did, a padding name in the hint).
 */
export function makeCause(
  cause: ForensicCauseName,
  verifies: boolean,
  evidence: Record<string, unknown>,
  overrides: { owner?: ForensicCause['owner']; hint?: string } = {},
): ForensicCause {
  const entry = FORENSIC_CAUSES[cause];
  return { cause, owner: overrides.owner ?? entry.owner, hint: overrides.hint ?? entry.hint, verifies, evidence };
}
