/**
 * The shape every command module has (changesets' packages/cli pattern):
 * a typed function that does the work and returns its exit code, callable
 * from tests without a subprocess, and a short `register(program, done)`
 * that declares the flags from the kit (flags.ts) and hands the exit code
 * to `done`. Only main.ts turns it into process.exitCode.
 */
import type { Command } from 'commander';

/** Receives a command's exit code (main.ts keeps it for the process). */
export type Done = (code: number) => void;

/** Where a command writes its report: process.stdout, or a test's buffer. */
export interface Output {
  write(text: string): unknown;
}

/** A module of src/cli/commands/. */
export interface CommandModule {
  register(program: Command, done: Done): void;
}

/**
 * Writes a report as pretty JSON, or as the text `formatText` renders.
 *
 * @example writeReport(out, flags.format, report, formatKeysText)
 */
export function writeReport<R>(out: Output, format: string | undefined, report: R, formatText: (report: R) => string): void {
  out.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
}
