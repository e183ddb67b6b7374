import type { KeySourceInfo } from './import.ts';

/**
 * What loading one key source gave (reported with every diagnosis and by
 * `keys`). Its own pure module: the diagnoser reports it without importing
 * the loaders (src/keys/sources.ts, which does the I/O).
 */
export interface SourceReport {
  kind: KeySourceInfo['kind'];
  location?: string;
  ok: boolean;
  keyCount: number;
  error?: string;
  /** For fetched sources: HTTP caching headers, for rotation checks. */
  cacheControl?: string;
  expires?: string;
  /** Age and Date: how old the response already was (RFC 9111 section 4.2.3). */
  age?: string;
  date?: string;
  fetchedAt?: string;
  jwksUri?: string;
}
