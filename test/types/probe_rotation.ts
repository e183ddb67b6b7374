/** jwt-doctor/probe and jwt-doctor/rotation: each check with the loaders of its inputs. */
import type { Contract } from 'jwt-doctor';
import { probeApi, readApiConfig, type ProbeReport, type ApiConfig } from 'jwt-doctor/probe';
// @ts-expect-error: the probe's raw HTTP client is internal
import { sendRequest } from 'jwt-doctor/probe';
import {
  checkRotation,
  loadKeyMaterials,
  readVerifierKeys,
  type CheckRotationInput,
  type LoadedKeyMaterial,
  type RotationCheckReport,
  type VerifierKeysResult,
} from 'jwt-doctor/rotation';
import type { Equal, Expect } from './expect.js';

export type Tests = [
  Expect<Equal<ReturnType<typeof probeApi>, Promise<ProbeReport>>>,
  Expect<Equal<ReturnType<typeof readApiConfig>, ApiConfig>>,
  Expect<Equal<ReturnType<typeof checkRotation>, RotationCheckReport>>,
  Expect<Equal<ReturnType<typeof loadKeyMaterials>, Promise<LoadedKeyMaterial>>>,
  Expect<Equal<CheckRotationInput['live'], LoadedKeyMaterial>>,
  Expect<Equal<ReturnType<typeof readVerifierKeys>, Promise<VerifierKeysResult>>>,
];

declare const contract: Contract;
declare const token: string;
declare const live: LoadedKeyMaterial;
declare const verifier: VerifierKeysResult;

export async function usage(): Promise<void> {
  await probeApi(readApiConfig(contract, 'staging'), token, { timeoutMs: 2000 });
  checkRotation({ live, verifier, now: 0 });
  // @ts-expect-error: unknown option
  await probeApi(readApiConfig(contract, 'staging'), token, { timeout: 2000 });
  // @ts-expect-error: now is required (UNIX seconds): the checks read no clock
  checkRotation({ live, verifier });
}

export const unused = [sendRequest];
