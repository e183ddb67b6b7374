import { mostFundamental, type Finding, type RankOptions } from '../reasons.ts';
import type { CheckLine, CheckLineName, LineResult } from './types.ts';

/**
 * One check's line from the findings behind it: pass without an error,
 * else fail with the most fundamental error's code (DESIGN.md order).
 * Warnings ride along in the findings and do not fail the line.
 *
 * @example judgeLine('issuer', [makeFinding('issuer_mismatch')], { expected }).line.code // 'issuer_mismatch'
 */
export function judgeLine(
  name: CheckLineName,
  findings: Finding[],
  evidence: Record<string, unknown>,
  extra: Partial<CheckLine> = {},
  rank?: RankOptions,
): LineResult {
  const worst = mostFundamental(findings, rank);
  const line: CheckLine = worst
    ? { name, status: 'fail', ...extra, code: worst.code, evidence }
    : { name, status: 'pass', ...extra, evidence };
  return { line, findings };
}

/** A check that could not run (no token, nothing configured): `reason` says why. */
export function skipLine(name: CheckLineName, reason: string, evidence: Record<string, unknown> = {}): LineResult {
  return { line: { name, status: 'skip', evidence: { reason, ...evidence } }, findings: [] };
}
