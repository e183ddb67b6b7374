/**
 * The suite's one fixed clock. Every `now` a test injects is NOW or derived
 * from it (`NOW - 7200`, `isoAt(NOW + 60)`), so no test reads the wall clock
 * and no two files disagree on what "now" is.
 */

/** NumericDate seconds (RFC 7519 section 2): 2027-01-15T08:00:00Z. */
export const NOW = 1_800_000_000;

/** An instant as the ISO 8601 text `--now` takes. */
export const isoAt = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** NOW as `--now` text. */
export const NOW_ISO = isoAt(NOW);

/**
 * Not a second clock: the instant the bundled examples/ tokens were minted
 * for (DEMO_NOW of src/cli/commands/demo.ts, kept equal by
 * test/cli/usage_cli.test.ts; not imported here, so that loading the helpers
 * loads no CLI code). Tests that diagnose those files check at it;
 * everything else uses NOW.
 */
export const EXAMPLES_NOW_ISO = '2026-11-28T12:05:00Z';
export const EXAMPLES_NOW = Date.parse(EXAMPLES_NOW_ISO) / 1000;
