/**
 * The clock_skew_seconds line of `check`: the issuer's and the API's HTTP
 * Date against this machine's clock (src/probe/clock_offset.ts), held to
 * the contract's clockToleranceSeconds. Measured once per environment and
 * shown in every client's section.
 */
import type { Contract } from '../contract/load.ts';
import { readApiConfig, readIssuerBaseUrl } from '../contract/api_section.ts';
import { rawEnvironment } from '../contract/sections.ts';
import { clockFindings, measureClockOffset, type ClockMeasurement } from '../probe/clock_offset.ts';
import { judgeLine, skipLine } from './check_line.ts';
import type { LineResult } from './types.ts';

export interface ClockCheck extends LineResult {
  /** The API's clock minus the issuer's (seconds) when both were read: how much earlier a token expires at the API. */
  apiAheadOfIssuerSeconds?: number;
}

export interface ClockCheckOptions {
  timeoutMs: number;
  samples: number;
  clock?: () => number;
}

/**
 * Measures the issuer's and the API's clock offsets and judges the larger
 * one: fail when an offset is beyond tolerance even at the edge of its
 * uncertainty (clock_offset_exceeds_tolerance), or a clock cannot be read
 * (transport_error). The line's value is the larger offset, rounded.
 *
 * @example (await checkClock(contract, 'staging', { timeoutMs: 5000, samples: 3 })).line.value // 10
 */
export async function checkClock(contract: Contract, envName: string, o: ClockCheckOptions): Promise<ClockCheck> {
  const targets = clockTargets(contract, envName);
  const tolerance = contract.environments[envName]!.clockToleranceSeconds ?? 0;
  if (targets.length === 0)
    return skipLine('clock_skew_seconds', 'no http(s) issuer, issuerBaseUrl or api.baseUrl to read a Date from', {
      toleranceSeconds: tolerance,
    });
  const clocks: ClockMeasurement[] = [];
  for (const t of targets)
    clocks.push(
      await measureClockOffset(t.url, t.target, { samples: o.samples, timeoutMs: o.timeoutMs, ...(o.clock ? { clock: o.clock } : {}) }),
    );
  const measured = clocks.filter((c) => c.ok && c.offsetSeconds !== undefined);
  const largest = measured.sort((a, b) => Math.abs(b.offsetSeconds!) - Math.abs(a.offsetSeconds!))[0];
  const evidence = {
    toleranceSeconds: tolerance,
    clocks: clocks.map((c) => ({
      target: c.target,
      url: c.url,
      ...(c.offsetSeconds !== undefined ? { offsetSeconds: c.offsetSeconds, uncertaintySeconds: c.uncertaintySeconds } : {}),
      ...(c.error ? { error: c.error.error, message: c.error.message } : {}),
    })),
  };
  const result: ClockCheck = judgeLine('clock_skew_seconds', clockFindings(clocks, tolerance), evidence, {
    ...(largest ? { value: Math.round(largest.offsetSeconds!) } : {}),
    tolerance,
  });
  const api = clocks.find((c) => c.target === 'api')?.offsetSeconds;
  const issuer = clocks.find((c) => c.target === 'issuer')?.offsetSeconds;
  if (api !== undefined && issuer !== undefined) result.apiAheadOfIssuerSeconds = api - issuer;
  return result;
}

function clockTargets(contract: Contract, envName: string): { target: string; url: string }[] {
  const out: { target: string; url: string }[] = [];
  const issuer = readIssuerBaseUrl(contract, envName);
  if (issuer !== undefined) out.push({ target: 'issuer', url: issuer });
  if (rawEnvironment(contract, envName).api !== undefined) out.push({ target: 'api', url: readApiConfig(contract, envName).baseUrl });
  return out;
}
