import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/**
 * Where a secret is read: a variable or a file, never the value itself
 * (the contract schema refuses a literal). Client secrets, refresh tokens,
 * signing keys and static tokens all go through here.
 */
export type SecretRef = { env: string } | { file: string };

export interface SecretRefContext {
  /** Folder relative files resolve against (the contract's). */
  baseDir?: string;
  /** Variables (default process.env). */
  vars?: Record<string, string | undefined>;
}

/** `raw`: a file as stored, trailing newline included (an HMAC secret: docs/security.md "Secret readings"). */
export interface SecretRefReadOptions {
  raw?: boolean;
}

/** Why a secret could not be read: the text says what, never the value. */
export type SecretRefResult = { ok: true; text: string; location: string } | { ok: false; location: string; why: string };

/**
 * Reads a secret reference. A file loses one trailing newline (`echo`
 * writes one) unless `raw` (an HMAC secret, whose bytes are the key: read
 * as the verifier reads it); a variable is taken as it is. Unset, empty, missing or
 * unreadable is a failure value naming the variable or file.
 *
 * @example readSecretRef({ env: 'CLIENT_SECRET' }, { vars: process.env })
 */
export function readSecretRef(ref: SecretRef, ctx: SecretRefContext = {}, options: SecretRefReadOptions = {}): SecretRefResult {
  if ('env' in ref) {
    const location = `env:${ref.env}`;
    const value = (ctx.vars ?? process.env)[ref.env];
    if (value === undefined) return { ok: false, location, why: `environment variable ${ref.env} is not set` };
    if (value === '') return { ok: false, location, why: `environment variable ${ref.env} is empty` };
    return { ok: true, text: value, location };
  }
  const path = isAbsolute(ref.file) ? ref.file : resolve(ctx.baseDir ?? process.cwd(), ref.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    if (options.raw !== true) text = text.replace(/\r?\n$/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      location: ref.file,
      why: code === 'ENOENT' ? `file ${ref.file} does not exist` : `file ${ref.file} cannot be read (${code ?? 'error'})`,
    };
  }
  if (text === '') return { ok: false, location: ref.file, why: `file ${ref.file} is empty` };
  return { ok: true, text, location: ref.file };
}
