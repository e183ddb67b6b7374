/** The root entry's task-level API, as a consumer compiles against it. */
import {
  createDiagnoser,
  decodeToken,
  diagnose,
  DIAGNOSIS_SCHEMA,
  formatDiagnosisJson,
  formatDiagnosisMarkdown,
  formatDiagnosisText,
  loadContract,
  matchEnvironments,
  REASONS,
  sanitizeDiagnosis,
  type Contract,
  type DecodeResult,
  type Diagnoser,
  type Diagnosis,
  type Expectations,
  type Finding,
  type MatchReport,
  type ReasonCode,
} from 'jwt-doctor';
// @ts-expect-error: a building block, in jwt-doctor/advanced only
import { fetchJson } from 'jwt-doctor';
// @ts-expect-error: a building block, in jwt-doctor/advanced only
import { makeFinding } from 'jwt-doctor';
import type { Equal, Expect } from './expect.js';

export type Tests = [
  Expect<Equal<ReturnType<typeof diagnose>, Promise<Diagnosis>>>,
  Expect<Equal<Diagnosis['result'], 'valid' | ReasonCode>>,
  Expect<Equal<Diagnosis['schema'], typeof DIAGNOSIS_SCHEMA>>,
  Expect<Equal<typeof DIAGNOSIS_SCHEMA, 'jwt-doctor/diagnosis/v1'>>,
  Expect<Equal<ReasonCode, keyof typeof REASONS>>,
  // A closed union of strings, not `string`.
  Expect<Equal<string extends ReasonCode ? true : false, false>>,
  Expect<Equal<Extract<ReasonCode, 'issuer_mismatch' | 'not_a_reason'>, 'issuer_mismatch'>>,
  Expect<Equal<Finding['code'], ReasonCode>>,
  Expect<Equal<ReturnType<typeof createDiagnoser>, Promise<Diagnoser>>>,
  Expect<Equal<ReturnType<Diagnoser['diagnose']>, Diagnosis>>,
  Expect<Equal<ReturnType<Diagnoser['diagnoseAsync']>, Promise<Diagnosis>>>,
  Expect<Equal<ReturnType<typeof loadContract>, Contract>>,
  Expect<Equal<Contract['environments'][string], Expectations>>,
  Expect<Equal<ReturnType<typeof matchEnvironments>, Promise<MatchReport>>>,
  Expect<Equal<ReturnType<typeof decodeToken>, DecodeResult>>,
  Expect<Equal<ReturnType<typeof formatDiagnosisText>, string>>,
  Expect<Equal<ReturnType<typeof formatDiagnosisJson>, string>>,
  Expect<Equal<ReturnType<typeof formatDiagnosisMarkdown>, string>>,
  Expect<Equal<ReturnType<typeof sanitizeDiagnosis>, Diagnosis>>,
];

declare const token: string;
declare const contract: Contract;
declare const env: Expectations;

export async function optionsRejectUnknownFields(): Promise<ReasonCode | undefined> {
  // @ts-expect-error: a misspelt option is an error, not silently ignored
  await diagnose(token, env, { contract, nowe: 0 });
  // @ts-expect-error: now is a Date or NumericDate seconds, never a string
  await diagnose(token, env, { now: '2026-11-28T12:05:00Z' });
  // @ts-expect-error: unknown option
  await createDiagnoser(env, { contract, tolerance: 5 });
  // @ts-expect-error: unknown option
  loadContract('auth-contract.yaml', { strict: true });
  // @ts-expect-error: unknown option
  formatDiagnosisText(await diagnose(token, env), { colour: true });
  const doctor = await createDiagnoser(env, { contract, timeoutMs: 2000 });
  // @ts-expect-error: unknown call option
  doctor.diagnose(token, { now: 0, env: 'prod' });
  const d = doctor.diagnose(token, { now: new Date() });
  // The result narrows to a reason code once 'valid' is ruled out.
  return d.result === 'valid' ? undefined : d.result;
}

export const unused = [fetchJson, makeFinding];
