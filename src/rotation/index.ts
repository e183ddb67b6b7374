/**
 * jwt-doctor/rotation: key inspection, rotation checks, drift and contract
 * diffs as a library (the `keys`, `rotation`, `drift` and `contract diff`
 * commands are thin fronts over these). Re-exports only: each check, the
 * loaders of its inputs (the issuer's live keys, the verifier's key set, the
 * traffic still signed by a key) and its text format. api/rotation.api.md
 * lists every name.
 *
 * @example
 * import { checkRotation, loadKeyMaterials, readVerifierKeys } from 'jwt-doctor/rotation';
 */
export { buildKeysReport, formatKeysText, KEYS_SCHEMA, type KeysReport, type KeysReportOptions } from './keys_report.ts';
export { inspectKeys, type KeyRow, type InspectOptions, type KeyInspection } from './inspect_keys.ts';
export { loadKeyMaterial, loadKeyMaterials, type KeyEntry, type LoadedKeyMaterial } from './load_key_material.ts';
export {
  checkRotation,
  ROTATION_CHECK_SCHEMA,
  type RotationCheckReport,
  type CheckRotationInput,
  type ComparedKey,
  type RejectionWindow,
} from './check_rotation.ts';
export { checkOverlap, OVERLAP_SCHEMA, type OverlapReport, type CheckOverlapInput } from './check_overlap.ts';
export {
  checkRetirement,
  RETIREMENT_SCHEMA,
  type RetirementReport,
  type CheckRetirementInput,
  type ChecklistItem,
} from './check_retirement.ts';
export { formatRotationCheckText, formatOverlapText, formatRetirementText } from './format_rotation.ts';
export {
  compareEnvironments,
  DRIFT_SCHEMA,
  type DriftReport,
  type DriftField,
  type TrustedKey,
  type SignerTrust,
  type SignerKeyInput,
  type CompareOptions,
} from './compare_environments.ts';
export {
  diffContracts,
  formatContractDiffMarkdown,
  CONTRACT_DIFF_SCHEMA,
  type ContractDiff,
  type ContractChange,
  type Team,
} from './diff_contracts.ts';
export {
  readVerifierKeys,
  VERIFIER_KEYS_SCHEMA,
  type VerifierKeys,
  type VerifierKey,
  type VerifierKeysResult,
  type ReadVerifierOptions,
} from './read_verifier_keys.ts';
export {
  sampleMetricsTraffic,
  countLogTraffic,
  type TrafficEvidence,
  type SampleMetricsOptions,
  type CountLogOptions,
} from './measure_traffic.ts';
export { readPrometheusTraffic, residualTrafficQuery, type PrometheusTrafficOptions } from './read_prometheus_traffic.ts';
