import type { ReasonCode } from '../reasons.ts';

/** What the middleware needs of a logger: pino, bunyan-style or the console-free default below. */
export interface LoggerLike {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  /** Application errors (a failing handler); `warn` when the logger has no `error`. */
  error?(obj: object, msg?: string): void;
}

/** One rejection, one JSON line. Never the token, a secret or claim values. */
export interface RejectionLogRecord {
  event: 'jwt_auth_rejected';
  reason: ReasonCode;
  status: number;
  env: string;
  /** The kid the token names (untrusted input, shortened); null when it names none. */
  kid: string | null;
  /** Whether that kid is one of the verifier's currently trusted keys. */
  kidTrusted: boolean;
  /** RFC 7638 thumbprint (or secret fingerprint) of the trusted key the token names or was checked against. */
  thumbprint: string | null;
  /** Where that key came from: "jwks_uri https://...", "jwks_file keys/x.json", ... */
  keySource: string | null;
  /** The key version: the trusted key's kid. */
  keyVersion: string | null;
  /** The route template (never the raw path). */
  route: string;
  /** now - iat, when the token has an iat. */
  tokenAgeSeconds: number | null;
  /** Signer-vs-verifier clock offset that would explain a time failure (positive: signer ahead). */
  clockOffsetSeconds: number | null;
  requestId: string;
  /** Only when verification threw (a bug, answered 401 malformed_token): the error's class, never its message. */
  errorClass?: string;
  /** Only with the `forensics` option: why the signature failed (a src/forensics/causes.ts name). */
  cause?: string;
}

/**
 * A minimal pino-compatible logger writing one JSON line per record, with
 * pino's `level`, `time` and `msg` fields. The default when no logger is
 * given.
 *
 * @example createJsonLineLogger(process.stderr).warn({ reason: 'token_expired' }, 'jwt rejected')
 */
export function createJsonLineLogger(stream: { write(chunk: string): unknown } = process.stderr): LoggerLike {
  const line = (level: number) => (obj: object, msg?: string) => {
    stream.write(JSON.stringify({ level, time: Date.now(), ...obj, ...(msg !== undefined ? { msg } : {}) }) + '\n');
  };
  return { warn: line(40), info: line(30), error: line(50) };
}

/** An application error after (or around) verification: the app's own failure, never a token's. */
export interface HandlerErrorLogRecord {
  event: 'jwt_auth_handler_error';
  env: string;
  route: string;
  requestId: string;
  /** pino's `err` shape, so pino's serializer and ours agree. */
  err: { type: string; message: string; stack?: string };
}

/**
 * Logs an application error with the request id (the same id as the 500
 * answer's `request_id`).
 *
 * @example logApplicationError(logger, new Error('db down'), { env: 'staging', route: '/v1/orders/:id', requestId: 'req-1' })
 */
export function logApplicationError(
  logger: LoggerLike | undefined,
  err: unknown,
  fields: { env: string; route: string; requestId: string },
): void {
  if (!logger) return;
  const e = err instanceof Error ? err : new Error(String(err));
  const record: HandlerErrorLogRecord = {
    event: 'jwt_auth_handler_error',
    ...fields,
    err: { type: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) },
  };
  (logger.error ?? logger.warn).call(logger, record, 'request handler failed');
}

// Untrusted strings from the token header: printable ASCII, bounded.
export function untrustedLabel(value: unknown, max = 64): string | null {
  if (typeof value !== 'string') return null;
  const s = value.replace(/[^\x20-\x7e]/g, '?');
  return s.length > max ? s.slice(0, max) + '...' : s;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane identifier, else a fresh UUID. */
export function requestIdOf(headerValue: string | string[] | undefined): string {
  if (typeof headerValue === 'string' && REQUEST_ID.test(headerValue)) return headerValue;
  return crypto.randomUUID();
}
