/**
 * jwt-doctor's public API: re-exports only (DESIGN.md house style).
 *
 * @example
 * import { loadContract, createDiagnoser } from 'jwt-doctor';
 * const contract = loadContract('auth-contract.yaml');
 * const doctor = await createDiagnoser(contract.environments.staging, { contract });
 * const report = doctor.diagnose(token, { now: new Date() });
 * report.result; // 'valid' | 'claim_mismatch' | 'signature_invalid' | ...
 */
export { loadContract, ContractError, DEFAULT_CONTRACT_FILE, type Contract, type LoadContractOptions } from './contract/load.ts';
export { buildDiagnoser, DIAGNOSIS_SCHEMA, type Diagnosis, type Diagnoser, type PreparedKeys, type DiagnoseCallOptions } from './diagnose.ts';
export { diagnose, createDiagnoser, type CreateDiagnoserOptions } from './diagnose/create_diagnoser.ts';
export { matchEnvironments, createContractDiagnosers, type MatchReport, type MatchRow } from './match.ts';
export { REASONS, CATEGORY_ORDER, makeFinding, rankResult, isReasonCode, type Finding, type ReasonCode, type ReasonEntry, type Severity, type OwnerRole, type Category } from './reasons.ts';
export type { Expectations, ClaimExpectation, Owners } from './expectations.ts';
export { normalizeTokenInput, type NormalizedInput } from './token/normalize.ts';
export { decodeToken, peekToken, DEFAULT_MAX_TOKEN_BYTES, type DecodedToken, type DecodeResult } from './token/decode.ts';
// Parsing and work limits (docs/limits.md).
export { MAX_JSON_DEPTH } from './token/strict_json.ts';
export { MAX_CANDIDATE_KEYS, MAX_PROVENANCE_VERIFICATIONS } from './checks/signature.ts';
export type { DiagnoserOptions } from './diagnose.ts';
export { ALGORITHMS, getAlgorithm, algorithmsForKey, type AlgorithmEntry } from './keys/algorithms.ts';
export { importJwk, importJwks, importPem, importSecretText, jwkThumbprint, fingerprintSecret, describeKey, type KeyRecord, type KeySourceInfo, type SecretEncoding } from './keys/import.ts';
export { resolveKeys, resolveKeySpec, type KeySpec, type ResolvedKeys, type SourceReport } from './keys/sources.ts';
export { fetchJson, type FetchResult } from './net/fetch_json.ts';
export { formatDiagnosisText } from './report/text.ts';
export { formatDiagnosisMarkdown } from './report/markdown.ts';
export { sanitizeDiagnosis } from './report/sanitize.ts';
