/**
 * `runbook --with-results`: every step run now, in order, in-process through
 * the CLI's own entry (given by the caller: no module outside src/cli/
 * imports the CLI), each with a deadline, its output captured and redacted.
 * A step that fails (an unknown command included, while `check` is not
 * there) is that step's result; nothing here throws for a step.
 */
import type { RunbookResults, StepResult } from './format_runbook.ts';
import type { Runbook, RunbookStep } from './plan_runbook.ts';
import { captureOutput } from './capture_output.ts';
import { redactTokens } from './redact_tokens.ts';
import { TOKEN } from './runbook_steps.ts';

/** The CLI entry: arguments after `jwt-doctor` -> exit code (src/cli/main.ts `main`). */
export type CliEntry = (argv: string[]) => Promise<number>;

export interface RunRunbookOptions {
  cli: CliEntry;
  /** Deadline of each step, in ms. */
  stepTimeoutMs: number;
  /** The operator's token, for the steps that take one (else the token step's). */
  token?: string;
  /** When the run starts (default: the wall clock). */
  now?: () => Date;
}

/**
 * @example const results = await runRunbook(runbook, { cli: main, stepTimeoutMs: 60_000, token });
 */
export async function runRunbook(runbook: Runbook, options: RunRunbookOptions): Promise<RunbookResults> {
  const ranAt = (options.now?.() ?? new Date()).toISOString();
  const byStep: Record<string, StepResult> = {};
  let token = options.token;
  for (const step of runbook.steps) {
    if (step.needsToken && token === undefined) {
      byStep[step.id] = { status: 'skipped', reason: noTokenReason(runbook), stdout: '', stderr: '', durationMs: 0 };
      continue;
    }
    const known = [options.token, token].filter((t): t is string => t !== undefined);
    const result = await runStep(step, options, token, known);
    byStep[step.id] = result.step;
    if (step.id === 'token' && result.token !== undefined) token = result.token;
  }
  return { ranAt, byStep };
}

function noTokenReason(runbook: Runbook): string {
  return runbook.tokenFrom === 'token-step'
    ? 'no token (the token step did not print one)'
    : 'no token: give jwt-doctor runbook --with-results the rejected token (argument, file, or - for stdin)';
}

async function runStep(
  step: RunbookStep,
  options: RunRunbookOptions,
  token: string | undefined,
  known: string[],
): Promise<{ step: StepResult; token?: string }> {
  const argv = step.argv.map((a) => (a === TOKEN ? token! : a));
  const captured = await captureOutput(() => options.cli(argv).catch(() => 70), options.stepTimeoutMs);
  // The token step prints the token alone: the later steps take it, the runbook shows its mark.
  const printed = step.id === 'token' && captured.value === 0 ? captured.stdout.trim() : undefined;
  const secrets = printed !== undefined ? [...known, printed] : known;
  const base = {
    stdout: redactTokens(captured.stdout, secrets),
    stderr: redactTokens(captured.stderr, secrets),
    durationMs: captured.durationMs,
  };
  const result: StepResult =
    captured.value === 'timeout' ? { status: 'timeout', ...base } : { status: 'ran', exitCode: captured.value, ...base };
  return printed !== undefined && printed !== '' ? { step: result, token: printed } : { step: result };
}
