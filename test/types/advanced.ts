/** jwt-doctor/advanced: the building blocks share the root's types. */
import type { Diagnoser, Diagnosis, Expectations, Finding, ReasonCode } from 'jwt-doctor';
import {
  buildDiagnoser,
  fetchJson,
  importJwk,
  importJwks,
  makeFinding,
  normalizeTokenInput,
  parseStrictJson,
  rankResult,
  resolveKeys,
  type FetchResult,
  type KeyRecord,
  type PreparedKeys,
  type ResolvedKeys,
} from 'jwt-doctor/advanced';
// @ts-expect-error: a task-level function, in the root entry only
import { diagnose } from 'jwt-doctor/advanced';
import type { Equal, Expect } from './expect.js';

export type Tests = [
  Expect<Equal<ReturnType<typeof buildDiagnoser>, Diagnoser>>,
  Expect<Equal<Parameters<typeof buildDiagnoser>[1], PreparedKeys>>,
  Expect<Equal<ReturnType<typeof rankResult>, Diagnosis['result']>>,
  Expect<Equal<ReturnType<typeof makeFinding>, Finding>>,
  Expect<Equal<Parameters<typeof makeFinding>[0], ReasonCode>>,
  Expect<Equal<ReturnType<typeof importJwk>, KeyRecord>>,
  Expect<Equal<ReturnType<typeof importJwks>['keys'], KeyRecord[]>>,
  Expect<Equal<ReturnType<typeof resolveKeys>, Promise<ResolvedKeys>>>,
  Expect<Equal<ReturnType<typeof fetchJson>, Promise<FetchResult>>>,
  Expect<Equal<ReturnType<typeof normalizeTokenInput>['token'], string>>,
  Expect<Equal<ReturnType<typeof parseStrictJson>['ok'], boolean>>,
];

declare const env: Expectations;
declare const keys: KeyRecord[];

export function optionsRejectUnknownFields(): void {
  // @ts-expect-error: unknown member of the prepared keys
  buildDiagnoser(env, { keys, extra: [] });
  // @ts-expect-error: unknown diagnoser option
  buildDiagnoser(env, { keys }, { provenance: false, offload: true });
  // @ts-expect-error: makeFinding takes a reason code, not any string
  makeFinding('not_a_reason');
}

export const unused = [diagnose];
