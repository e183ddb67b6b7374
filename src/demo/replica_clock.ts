/**
 * The replica's one clock. The provider stamps its tokens with it, the
 * API's verifier reads it, every server's `Date` header (RFC 9110 section
 * 6.6.1) carries it, and diagnose and check run at it: the replica agrees
 * with itself (clock skew 0, as a healthy staging does) and its output is
 * the same on every run, so README can show it (scripts/docs.ts).
 */
export interface ReplicaClock {
  /** NumericDate seconds (RFC 7519 section 2: whole seconds here). */
  now(): number;
  /** The instant in milliseconds (the clock a Date-header comparison reads). */
  nowMs(): number;
  /** The HTTP Date header value of now(). */
  dateHeader(): string;
}

/** The replica's instant: the bundled example's check instant (src/cli/commands/demo.ts DEMO_NOW). */
export const REPLICA_NOW_ISO = '2026-11-28T12:05:00Z';

/**
 * A clock frozen half a second into the second `iso` names (default
 * REPLICA_NOW_ISO): NumericDates are that second, the Date header too
 * (truncated, RFC 9110 section 5.6.7), and a reader that estimates a
 * server's time from its Date header as D + 0.5 s (src/probe/clock_offset.ts)
 * lands on the instant itself: offset 0, not a rounding artefact of 0.5.
 */
export function fixedClock(iso: string = REPLICA_NOW_ISO): ReplicaClock {
  const ms = Math.floor(Date.parse(iso) / 1000) * 1000 + 500;
  const seconds = Math.floor(ms / 1000);
  const date = new Date(ms).toUTCString();
  return { now: () => seconds, nowMs: () => ms, dateHeader: () => date };
}
