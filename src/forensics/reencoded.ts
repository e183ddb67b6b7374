/**
 * token_reencoded (issue 11): a token strict decoding refused because
 * something re-encoded it on its way: percent-encoding (a client or proxy
 * putting it in a URL, a cookie, a form), the standard base64 alphabet
 * (`+` `/`) or `=` padding (a library that decodes and re-encodes). The
 * strict decoder is right to refuse it (RFC 7515 section 2, RFC 4648
 * section 5); this probe only says whether the canonical base64url form of
 * the same bytes verifies, and what was changed. Nothing here loosens the
 * decoder: the verdict stays malformed_token.
 */
import { getAlgorithm } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import { verifierFor } from '../checks/signature.ts';
import type { DecodedToken } from '../token/decode.ts';
import { makeCause } from './causes.ts';
import { keyIdentity, keysForHeader, spend } from './probe_kit.ts';
import type { ForensicCause, ForensicsBudget } from './types.ts';

export type Reencoding = 'percent_encoding' | 'standard_base64_alphabet' | 'padding';
/** The order changes are reported in (the order they are undone). */
const REENCODINGS: readonly Reencoding[] = ['percent_encoding', 'standard_base64_alphabet', 'padding'];
const SEGMENT_NAMES = ['header', 'payload', 'signature'] as const;

export interface CanonicalToken {
  token: string;
  /** What was undone, in order. */
  changes: Reencoding[];
  /** Which segments had the standard alphabet or padding. */
  segments: string[];
}

/** The canonical base64url form of a re-encoded compact JWS; undefined when nothing was re-encoded. */
export function canonicalizeToken(text: string): CanonicalToken | undefined {
  const changes: Reencoding[] = [];
  let s = text;
  // Twice at most: a token escaped by a client and again by a proxy (%252B).
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return undefined;
    }
    if (i === 0) changes.push('percent_encoding');
  }
  const parts = s.split('.');
  if (parts.length !== 3) return undefined;
  const segments: string[] = [];
  const mark = (change: Reencoding, segment: string) => {
    if (!changes.includes(change)) changes.push(change);
    if (!segments.includes(segment)) segments.push(segment);
  };
  const canonical = parts.map((seg, i) => {
    let t = seg;
    if (/[+/]/.test(t)) {
      t = t.replace(/\+/g, '-').replace(/\//g, '_');
      mark('standard_base64_alphabet', SEGMENT_NAMES[i]!);
    }
    if (t.endsWith('=')) {
      t = t.replace(/={1,2}$/, '');
      mark('padding', SEGMENT_NAMES[i]!);
    }
    return t;
  });
  if (changes.length === 0) return undefined;
  return { token: canonical.join('.'), changes: REENCODINGS.filter((c) => changes.includes(c)), segments };
}

export interface ReencodedContext {
  /** The strict decoder (the diagnoser's), or undefined when the text does not decode. */
  decode(token: string): DecodedToken | undefined;
  trusted: readonly KeyRecord[];
  budget: ForensicsBudget;
}

const CLIENT_HINT =
  'The client (or a proxy) URL-escaped the token: send it in the Authorization header as is (no encodeURIComponent, no form encoding); a strict verifier rightly refuses it.';
const SIGNER_HINT =
  'The signer encodes with standard base64 or padding and signs that text: emit base64url without padding (RFC 7515 section 2); strict verifiers rightly refuse it.';

/**
 * Whether the canonical form verifies with a trusted key (re-encoded on
 * its way: gateway, or client when it was URL-escaped), or the text as
 * sent does (the signer itself signs non-canonical base64: signer).
 */
export function probeReencoded(text: string, ctx: ReencodedContext): ForensicCause[] {
  const canonical = canonicalizeToken(text);
  if (!canonical) return [];
  const token = ctx.decode(canonical.token);
  const alg = token && getAlgorithm(token.header.alg);
  if (!token || !alg) return [];
  const escaped = canonical.changes.includes('percent_encoding');
  const owner = escaped ? { owner: 'client' as const, hint: CLIENT_HINT } : {};
  const evidence = {
    changes: canonical.changes,
    segments: canonical.segments,
    alg: alg.name,
    tokenLength: text.length,
    canonicalLength: canonical.token.length,
  };
  const keys = keysForHeader(token.header, ctx.trusted, alg.kty);
  const verify = verifierFor(alg);
  for (const key of keys) {
    if (spend(ctx.budget, () => verify(key, token.signingInput, token.signature)))
      return [makeCause('token_reencoded', true, { ...evidence, key: keyIdentity(key) }, owner)];
  }
  if (!escaped) {
    const sent = text.slice(0, text.lastIndexOf('.'));
    for (const key of keys) {
      if (spend(ctx.budget, () => verify(key, sent, token.signature))) {
        return [
          makeCause(
            'token_reencoded',
            true,
            { ...evidence, signedAs: 'sent', key: keyIdentity(key) },
            { owner: 'signer', hint: SIGNER_HINT },
          ),
        ];
      }
    }
  }
  return [makeCause('token_reencoded', false, evidence, owner)];
}
