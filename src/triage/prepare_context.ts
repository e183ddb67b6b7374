/**
 * The per-thread setup of triage: the expectations' keys loaded once (the
 * I/O edge), the token verdict cache, an empty report. The same for the
 * main thread and for every worker (which receives TriageSetup, plain
 * data, and loads its own keys).
 */
import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import { createDiagnoser } from '../diagnose/create_diagnoser.ts';
import type { LineContext } from './classify_line.ts';
import { createMessageCodes } from './message_codes.ts';
import { emptyReport } from './report.ts';
import { emptyTally } from './tally.ts';
import { createTokenVerdicts } from './token_verdicts.ts';

/** Everything a thread needs to classify lines: structured-cloneable (workerData). */
export interface TriageSetup {
  /** Absent: tokens are not diagnosed, only verifier messages are translated. */
  expectations?: Expectations;
  contract?: Contract;
  timeoutMs: number;
  tokenField?: string;
  /** The instant for lines without a time. */
  now: number;
  maxLineBytes: number;
  bucketSeconds: number;
}

export interface PreparedContext {
  ctx: LineContext;
  /** Kids of the environment's key set (for residual traffic), empty when unknown. */
  currentKids: string[];
}

/** Loads the keys (once) and returns the line context with an empty report. */
export async function prepareContext(setup: TriageSetup): Promise<PreparedContext> {
  const ctx: LineContext = {
    report: emptyReport(setup.bucketSeconds),
    tally: emptyTally(),
    messages: createMessageCodes(),
    now: setup.now,
    maxLineChars: setup.maxLineBytes,
    ...(setup.tokenField !== undefined ? { tokenField: setup.tokenField } : {}),
  };
  if (!setup.expectations) return { ctx, currentKids: [] };
  const e = setup.expectations;
  const diagnoser = await createDiagnoser(e, { ...(setup.contract ? { contract: setup.contract } : {}), timeoutMs: setup.timeoutMs });
  ctx.verdicts = createTokenVerdicts(diagnoser, e);
  if (e.name !== undefined) ctx.env = e.name;
  const currentKids = [...new Set(diagnoser.keys.flatMap((k) => (k.kid !== undefined ? [k.kid] : [])))].sort();
  return { ctx, currentKids };
}
