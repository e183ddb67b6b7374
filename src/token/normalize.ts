import { makeFinding, type Finding } from '../reasons.ts';

export interface NormalizedInput {
  /** The bare compact token, or '' when none was found. */
  token: string;
  /** What was removed, in order ('authorization_prefix', 'quotes', ...). */
  stripped: readonly string[];
  findings: readonly Finding[];
}

const QUOTES = new Set(['"', "'", '`']);
/** Looks like a compact JWS or JWE, leniently (for splitting pasted text). */
const COMPACT = /^[A-Za-z0-9_\-=+/]+(\.[A-Za-z0-9_\-=+/]*){2,4}$/;

/** The input of a bare compact token: nothing stripped, nothing found (shared, frozen). */
function bareInput(token: string): NormalizedInput {
  return { token, stripped: NONE_STRIPPED, findings: NO_FINDINGS };
}

const NONE_STRIPPED: readonly string[] = Object.freeze([]);
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * A bare compact JWS: three dot-separated runs of the base64url alphabet
 * and nothing else. One native regex pass over the whole token; when it
 * holds, decodeToken may skip its per-segment alphabet checks.
 */
const BARE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Turns whatever the user pasted (a bare token, `Bearer ...`, a whole
 * `Authorization: Bearer ...` line, quoted, wrapped over several lines)
 * into the bare token. Each non-trivial normalization is reported as a
 * `header_malformed` warning, because a doubled `Bearer` or surrounding
 * quotes is itself a staging bug when a client sends it that way.
 *
 * @example normalizeTokenInput('Authorization: Bearer eyJ...').token // 'eyJ...'
 */
export function normalizeTokenInput(raw: string): NormalizedInput {
  // Hot path (middleware, prepared diagnoser): a bare compact token.
  if (BARE_COMPACT.test(raw)) return bareInput(raw);
  const stripped: string[] = [];
  const findings: Finding[] = [];
  const warn = (what: string, detail: Record<string, unknown> = {}) => {
    stripped.push(what);
    findings.push(makeFinding('header_malformed', { severity: 'warning', claim: 'authorization', detail: { stripped: what, ...detail } }));
  };

  let s = raw.trim();
  if (s === '') {
    findings.push(makeFinding('header_missing', { claim: 'authorization', detail: { input: 'empty' } }));
    return { token: '', stripped, findings };
  }

  // A pasted header line: "Authorization: Bearer x" (any case).
  const headerLine = /^(authorization|x-forwarded-authorization|x-amzn-oidc-data|[a-z0-9-]*token[a-z0-9-]*)\s*:\s*/i.exec(s);
  if (headerLine) {
    stripped.push('header_name');
    s = s.slice(headerLine[0].length).trim();
  }

  for (let guard = 0; guard < 8; guard++) {
    const before = s;
    if (s.length >= 2 && QUOTES.has(s[0]!) && s[s.length - 1] === s[0]) {
      warn('quotes', { quote: s[0] });
      s = s.slice(1, -1).trim();
    }
    const scheme = /^(bearer|jwt|token)(\s+|:\s*|$)/i.exec(s);
    if (scheme) {
      const word = scheme[1]!;
      s = s.slice(scheme[0].length).trim();
      const again = /^(bearer|jwt|token)\s+/i.exec(s);
      if (word.toLowerCase() !== 'bearer') warn('scheme', { scheme: word });
      else if (stripped.includes('bearer_prefix')) warn('doubled_bearer');
      else if (again && again[1]!.toLowerCase() === 'bearer') {
        stripped.push('bearer_prefix');
        warn('doubled_bearer');
        s = s.slice(again[0].length).trim();
      } else {
        stripped.push('bearer_prefix');
        // RFC 7235 section 2.1: the scheme is case-insensitive, but many
        // hand-written verifiers compare "Bearer " byte for byte.
        if (word !== 'Bearer')
          findings.push(makeFinding('header_malformed', { severity: 'info', claim: 'authorization', detail: { scheme: word } }));
      }
    }
    if (s === before) break;
  }

  // Tokens wrapped by a terminal, an e-mail client or a YAML block scalar,
  // or two whole tokens side by side (RFC 6750 section 2: one token only).
  if (/\s/.test(s)) {
    const parts = s.split(/\s+/).filter(Boolean);
    const whole = parts.filter((p) => COMPACT.test(p) && p.split('.').length >= 3);
    if (whole.length > 1 && whole.length === parts.length) {
      findings.push(makeFinding('multiple_tokens', { claim: 'authorization', detail: { count: whole.length } }));
      s = whole[0]!;
    } else {
      warn('whitespace', { pieces: parts.length });
      s = parts.join('');
    }
  }
  if (/,/.test(s) && s.split(',').filter((p) => COMPACT.test(p.trim().replace(/^bearer\s+/i, ''))).length > 1) {
    findings.push(makeFinding('multiple_tokens', { claim: 'authorization', detail: { count: s.split(',').length } }));
    s = s.split(',')[0]!.trim();
  }
  if (s === '') findings.push(makeFinding('header_missing', { claim: 'authorization', detail: { input: 'scheme_only' } }));
  return { token: s, stripped, findings };
}
