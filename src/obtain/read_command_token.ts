import { makeFinding, type Finding } from '../reasons.ts';
import { parseStrictJson } from '../token/strict_json.ts';

/**
 * The token a command printed: the trimmed output, or, when the output is
 * a JSON object (a token response, `az account get-access-token`), its
 * access_token / accessToken / token member. More than one line of text is
 * not one token.
 *
 * @example readCommandToken('eyJ...\n', 12) // { ok: true, token: 'eyJ...', latencyMs: 12 }
 */
export function readCommandToken(
  stdout: string,
  latencyMs: number,
): { ok: true; token: string; latencyMs: number; extra?: { expiresIn?: number } } | { ok: false; finding: Finding; latencyMs: number } {
  const text = stdout.trim();
  if (text.startsWith('{')) {
    const parsed = parseStrictJson(text);
    const doc = parsed.ok && parsed.value !== null && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
    const token = [doc.access_token, doc.accessToken, doc.token].find((v): v is string => typeof v === 'string' && v !== '');
    if (token !== undefined)
      return { ok: true, token, latencyMs, ...(typeof doc.expires_in === 'number' ? { extra: { expiresIn: doc.expires_in } } : {}) };
    return fail('no_token', 'the command printed JSON without access_token, accessToken or token', latencyMs);
  }
  if (text === '') return fail('no_output', 'the command printed nothing on stdout', latencyMs);
  if (/\s/.test(text)) return fail('not_one_token', `the command printed ${text.split(/\s+/).length} words, not one token`, latencyMs);
  return { ok: true, token: text, latencyMs };
}

function fail(error: string, message: string, latencyMs: number): { ok: false; finding: Finding; latencyMs: number } {
  return {
    ok: false,
    latencyMs,
    finding: makeFinding('token_command_failed', { claim: 'command', actual: error, detail: { error, message, elapsedMs: latencyMs } }),
  };
}
