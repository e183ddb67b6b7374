/**
 * The replica's one clock. The provider stamps its tokens with it, the
 * API's verifier reads it, every server's `Date` header (RFC 9110 section
 * 6.6.1) carries it, and diagnose and check run at it: the replica agrees
 * with itself (clock skew 0, as a healthy staging does) and its output is
 * the same on every run, so README can show it (scripts/docs.ts).
 */
export interface ReplicaClock {
  /** NumericDate seconds. */
  now(): number;
  /** The HTTP Date header value of now(). */
  dateHeader(): string;
}

/** The replica's instant: the bundled example's check instant (src/cli/commands/demo.ts DEMO_NOW). */
export const REPLICA_NOW_ISO = '2026-11-28T12:05:00Z';

/** A clock frozen at `iso` (default REPLICA_NOW_ISO). */
export function fixedClock(iso: string = REPLICA_NOW_ISO): ReplicaClock {
  const seconds = Date.parse(iso) / 1000;
  const date = new Date(seconds * 1000).toUTCString();
  return { now: () => seconds, dateHeader: () => date };
}
