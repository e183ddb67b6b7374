/**
 * jwt-doctor's task-level API: re-exports only (DESIGN.md house style).
 * Load a contract, diagnose a token against one of its environments, find
 * which environment minted a token, print the diagnosis. The building blocks
 * (prepared diagnoser from loaded keys, key import and resolution, the
 * algorithm table, strict decoding helpers, the HTTP client) are in
 * `jwt-doctor/advanced` (src/advanced.ts). api/jwt-doctor.api.md lists every
 * name and signature; test/api_report.test.ts fails when it changes unreviewed.
 *
 * @example
 * import { loadContract, createDiagnoser } from 'jwt-doctor';
 * const contract = loadContract('auth-contract.yaml');
 * const doctor = await createDiagnoser(contract.environments.staging, { contract });
 * const report = doctor.diagnose(token, { now: new Date() });
 * report.result; // 'valid' | 'claim_mismatch' | 'signature_invalid' | ...
 */
export * as errors from './errors.ts';
export { loadContract, DEFAULT_CONTRACT_FILE, type Contract, type LoadContractOptions } from './contract/load.ts';
export { DIAGNOSIS_SCHEMA, type Diagnosis, type Diagnoser, type DiagnoseCallOptions } from './diagnose.ts';
export { diagnose, createDiagnoser, type CreateDiagnoserOptions } from './diagnose/create_diagnoser.ts';
export { matchEnvironments, type MatchReport, type MatchRow } from './match.ts';
export { REASONS, type Finding, type ReasonCode, type ReasonEntry, type Severity, type OwnerRole, type Category } from './reasons.ts';
export type { Expectations, ClaimExpectation, Owners } from './expectations.ts';
export { decodeToken, type DecodedToken, type DecodeResult } from './token/decode.ts';
// Formatters: the CLI's three output formats, and the redaction `--sanitize` applies.
export { formatDiagnosisText, type TextOptions } from './report/text.ts';
export { formatDiagnosisJson } from './report/json.ts';
export { formatDiagnosisMarkdown } from './report/markdown.ts';
export { sanitizeDiagnosis } from './report/sanitize.ts';
// Parsing and work limits (docs/limits.md).
export { DEFAULT_MAX_TOKEN_BYTES } from './token/decode.ts';
export { MAX_JSON_DEPTH } from './token/strict_json.ts';
export { MAX_CANDIDATE_KEYS, MAX_PROVENANCE_VERIFICATIONS } from './checks/signature.ts';
