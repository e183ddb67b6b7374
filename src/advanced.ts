/**
 * jwt-doctor/advanced: the building blocks under the task-level API
 * (re-exports only). For tools that bring their own key loading, caching or
 * reporting: a prepared diagnoser from keys you loaded (buildDiagnoser), key
 * import and thumbprints, key-source resolution, the algorithm table, the
 * reason registry's helpers, strict input normalization and JSON parsing, and
 * the bounded HTTP client the key sources use. Names here may change between
 * minor versions more freely than the root entry's; api/advanced.api.md lists
 * them, test/api_report.test.ts fails on an unreviewed change.
 *
 * @example
 * import { buildDiagnoser, importJwks } from 'jwt-doctor/advanced';
 * const { keys } = importJwks(jwks, { kind: 'jwks_file', location: 'jwks.json' });
 * const doctor = buildDiagnoser({ issuer: ['https://auth.example.com'] }, { keys });
 * doctor.diagnose(token, { now: new Date() }).result; // 'valid' | ReasonCode
 */
// The pure diagnoser over already loaded keys, and one per contract environment.
export { buildDiagnoser, type PreparedKeys, type DiagnoserOptions } from './diagnose.ts';
export { createContractDiagnosers, type LoadOptions } from './match.ts';
// The reason registry's helpers (REASONS itself is in the root entry).
export { CATEGORY_ORDER, makeFinding, rankResult, isReasonCode } from './reasons.ts';
// Input: normalization of pasted tokens, untrusted peeking, strict JSON (RFC 8259 + no duplicate members).
export { normalizeTokenInput, type NormalizedInput } from './token/normalize.ts';
export { peekToken, type DecodeOptions, type JsonObject } from './token/decode.ts';
export { parseStrictJson, type JsonParse } from './token/strict_json.ts';
// Keys: the algorithm table (alg -> key type, hash, verify parameters), import, resolution.
export { ALGORITHMS, getAlgorithm, algorithmsForKey, type AlgorithmEntry } from './keys/algorithms.ts';
export {
  importJwk,
  importJwks,
  importPem,
  importSecretText,
  jwkThumbprint,
  fingerprintSecret,
  describeKey,
  type KeyRecord,
  type KeySourceInfo,
  type SecretEncoding,
  type SecretReading,
  type SecretTextOptions,
} from './keys/import.ts';
export { resolveKeys, resolveKeySpec, type KeySpec, type ResolveContext, type ResolvedKeys, type SourceReport } from './keys/sources.ts';
// The bounded HTTP client (timeout, size cap, redirect policy) key sources use.
export { fetchJson, type FetchResult, type FetchOptions, type FetchFailure, type RedirectPolicy } from './net/fetch_json.ts';
// Test tokens and fresh tokens from an environment (issue 12): mint as the signer would, obtain from the token source.
export { mintToken, MINT_SCHEMA, type MintOptions, type MintedToken } from './mint/mint_token.ts';
export { MINTABLE_FAULTS, MINTABLE_FAULT_CODES, type MintableFault, type FaultEntry } from './mint/faults.ts';
export type { MintedFault } from './mint/apply_fault.ts';
export type { SignerSpec } from './mint/load_signer.ts';
export type { SecretRef } from './contract/secret_ref.ts';
export { obtainToken, type ObtainOptions, type ObtainResult, type ObtainedToken, type ObtainFailure } from './obtain/obtain_token.ts';
export type { ObtainSpec, OAuthClientSpec, TokenSourceKind } from './obtain/read_obtain_section.ts';
