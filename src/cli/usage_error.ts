/**
 * A usage error: the operator's input cannot be used (a missing file, an
 * unset variable, a malformed flag). Exit code 2 with one line saying what
 * to fix, never a token finding. Its own module so that the light commands
 * (decode) can raise it without loading the contract code.
 */
export class UsageError extends Error {
  readonly code = 'usage';
}

/** 0 ok (valid), 1 a finding (the token or the setup fails a check), 2 usage or contract error. */
export const EXIT = { ok: 0, fail: 1, usage: 2 } as const;
