/**
 * The error hierarchy (issue 10 item 2) as the root exports it: `errors`, a
 * namespace of classes with a `code` and an `exitCode`. Compiled once the
 * root exports `errors` (src/errors.ts lands on branch i10-cli).
 */
import { errors } from 'jwt-doctor';
import type { Equal, Expect } from './expect.js';

type Usage = InstanceType<typeof errors.UsageError>;
type Contract = InstanceType<typeof errors.ContractError>;

export type Tests = [
  Expect<Equal<Usage extends Error ? true : false, true>>,
  Expect<Equal<Usage['exitCode'] extends number ? true : false, true>>,
  Expect<Equal<Usage['code'] extends string ? true : false, true>>,
  Expect<Equal<Contract extends Error ? true : false, true>>,
];

export function exitCodeOf(e: unknown): number | undefined {
  return e instanceof errors.UsageError || e instanceof errors.ContractError ? e.exitCode : undefined;
}
