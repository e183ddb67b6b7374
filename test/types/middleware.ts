/** jwt-doctor/middleware: the verifier and its adapters, as a consumer with the optional peers compiles them. */
import type { Expectations, Contract, ReasonCode } from 'jwt-doctor';
import {
  createVerifier,
  jwtDoctorExpress,
  jwtDoctorFastify,
  withJwtAuth,
  type Rejection,
  type Verifier,
  type VerifyOutcome,
  type VerifyRequest,
} from 'jwt-doctor/middleware';
// @ts-expect-error: the verifier's key cache is internal
import { JwksCache } from 'jwt-doctor/middleware';
// @ts-expect-error: token extraction is internal (verify() does it)
import { extractToken } from 'jwt-doctor/middleware';
import type { Equal, Expect } from './expect.js';

export type Tests = [
  Expect<Equal<ReturnType<typeof createVerifier>, Verifier>>,
  Expect<Equal<Rejection['reason'], ReasonCode>>,
  Expect<Equal<Rejection['status'], number>>,
];

declare const env: Expectations;
declare const contract: Contract;
declare const request: VerifyRequest;

export async function usage(): Promise<number> {
  const verifier = createVerifier(env, { contract, registry: false, logger: false });
  const outcome: VerifyOutcome = await verifier.verify(request);
  // @ts-expect-error: a misspelt option is an error, not silently ignored
  createVerifier(env, { contract, registy: false });
  // @ts-expect-error: the clock is a function, so each request reads it
  createVerifier(env, { contract, now: new Date() });
  return outcome.ok ? 200 : outcome.status;
}

export const unused = [JwksCache, extractToken, jwtDoctorExpress, jwtDoctorFastify, withJwtAuth];
