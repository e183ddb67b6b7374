import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { addExpectationOptions, EXIT, resolveExpectations, UsageError, type ExpectationFlags } from '../common.ts';
import { collect, formatOption, parseInstantFlag, parsePositiveInt, parseTimeout, parseUrlFlag, INSTANT_FORMS } from '../flags.ts';
import type { Done, Output } from '../command.ts';
import { parseDuration } from '../../report/format_time.ts';
import type { AnalysisParams, TriageReport } from '../../triage/report.ts';
import type { TriageSetup } from '../../triage/prepare_context.ts';

const HELP = `
Reads NDJSON or plain-text logs (gzip detected by its magic bytes; several
files, or - for stdin) with constant memory. Each token found (a JWT-shaped
string, or --token-field) is diagnosed against --env at the line's time,
once per distinct token, and never printed; other verifiers' messages
(Envoy, jose, jsonwebtoken, .NET, Spring, ...) are translated to reason codes.
Counts by reason, env, kid, route, client and time bucket; --mark flags
spikes (a reason's rate at least 3x higher after the mark); kids outside
the environment's keys or named by --retired-kid are residual traffic.
Examples are sanitized: tokens and credentials are replaced by hashes.

Examples:
  $ jwt-doctor triage api.log.gz --env staging --mark 2026-11-30T20:05:00Z
  $ kubectl logs deploy/api | jwt-doctor triage - --env prod --token-field request.authorization --format json
  $ jwt-doctor triage logs/*.ndjson.gz --env prod --workers 4 --html triage.html --retired-kid 2025-q4
  $ jwt-doctor triage --merge host-a.json host-b.json --format json > fleet.json
  $ jwt-doctor triage --prometheus http://prometheus:9090 --env prod --since 6h

Exit codes: 0 report written, 2 usage or contract error.`;

export interface TriageOptions extends ExpectationFlags {
  tokenField?: string;
  bucket?: string;
  mark?: string;
  retiredKid?: string[];
  workers?: string;
  maxLineBytes?: string;
  /** commander's --no-progress: false hides the progress line. */
  progress?: boolean;
  format?: string;
  html?: string;
  merge?: boolean;
  prometheus?: string;
  since?: string;
}

/** Default --max-line-bytes: a log line longer than this is counted as line_too_long and skipped. */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

function parseDurationFlag(flag: string, v: string): number {
  const s = parseDuration(v);
  if (s === undefined || s <= 0) throw new UsageError(`${flag} expects a duration such as 30s, 1m, 1h or 1d, got "${v}"`);
  return s;
}

function analysisOf(o: TriageOptions): Omit<AnalysisParams, 'currentKids'> {
  const mark = parseInstantFlag('--mark', o.mark);
  return { ...(mark !== undefined ? { mark } : {}), retiredKids: [...new Set(o.retiredKid ?? [])].sort() };
}

/**
 * `jwt-doctor triage`: logs (or Prometheus counters, or reports to merge)
 * into one report of reasons, kids, routes and clients over time.
 *
 * @example const code = await triageCommand(['api.log.gz'], { contract: 'auth-contract.yaml', env: 'staging', format: 'json' }, out);
 */
export async function triageCommand(files: string[], o: TriageOptions, out: Output = process.stdout): Promise<number> {
  const bucketSeconds = parseDurationFlag('--bucket', o.bucket ?? '1m');
  const report = o.merge
    ? await mergeFiles(files, o)
    : o.prometheus !== undefined
      ? await fromPrometheus(files, o, bucketSeconds)
      : await fromLogs(files, o, bucketSeconds);
  if (o.html !== undefined) await writeHtml(o.html, report);
  const { formatTriageText } = await import('../../triage/format_triage_text.ts');
  out.write(o.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatTriageText(report));
  return EXIT.ok;
}

async function fromLogs(files: string[], o: TriageOptions, bucketSeconds: number): Promise<TriageReport> {
  const [{ runTriage }, { totalBytes }, { createProgress }] = await Promise.all([
    import('../../triage/run_triage.ts'),
    import('../../triage/read_inputs.ts'),
    import('../../triage/progress.ts'),
  ]);
  const inputs = (files.length > 0 ? files : ['-']).map((name) => ({ name }));
  if (inputs.filter((i) => i.name === '-').length > 1) throw new UsageError('stdin (-) can be read once: name it once');
  const setup = setupOf(o, bucketSeconds);
  const workers = o.workers === undefined ? 1 : parsePositiveInt('--workers', o.workers, 1, 64);
  const show = o.progress !== false && Boolean(process.stderr.isTTY);
  const progress = show ? createProgress(process.stderr, totalBytes(inputs)) : undefined;
  try {
    return await runTriage({ setup, inputs, workers, analysis: analysisOf(o), ...(progress ? { onBytes: (n) => progress.add(n) } : {}) });
  } finally {
    progress?.done();
  }
}

/** The plain-data setup every thread gets; tokens are diagnosed when an environment or inline keys are given. */
function setupOf(o: TriageOptions, bucketSeconds: number): TriageSetup {
  const diagnose =
    o.env !== undefined || o.contract !== undefined || o.secret !== undefined || o.key !== undefined || o.jwksUrl !== undefined;
  const r = diagnose ? resolveExpectations(o) : undefined;
  return {
    ...(r ? { expectations: r.expectations } : {}),
    ...(r?.contract ? { contract: r.contract } : {}),
    timeoutMs: r?.timeoutMs ?? parseTimeout(o.timeout),
    ...(o.tokenField !== undefined ? { tokenField: o.tokenField } : {}),
    now: r?.now ?? parseInstantFlag('--now', o.now) ?? Date.now() / 1000,
    maxLineBytes: o.maxLineBytes === undefined ? DEFAULT_MAX_LINE_BYTES : parsePositiveInt('--max-line-bytes', o.maxLineBytes, 1024),
    bucketSeconds,
  };
}

async function fromPrometheus(files: string[], o: TriageOptions, bucketSeconds: number): Promise<TriageReport> {
  if (files.length > 0) throw new UsageError('--prometheus reads counters, not files: drop the FILE arguments');
  const url = parseUrlFlag('--prometheus', o.prometheus)!;
  const sinceSeconds = parseDurationFlag('--since', o.since ?? '1h');
  const [{ readPrometheusEvents }, { reportOfEvents }] = await Promise.all([
    import('../../triage/prometheus_source.ts'),
    import('../../triage/report_of_events.ts'),
  ]);
  const now = parseInstantFlag('--now', o.now) ?? Date.now() / 1000;
  const read = await readPrometheusEvents(url, {
    ...(o.env !== undefined ? { env: o.env } : {}),
    sinceSeconds,
    stepSeconds: bucketSeconds,
    now,
    timeoutMs: parseTimeout(o.timeout),
  });
  return reportOfEvents(bucketSeconds, read.events, { ...analysisOf(o) }, read.errors);
}

async function mergeFiles(files: string[], o: TriageOptions): Promise<TriageReport> {
  if (files.length === 0) throw new UsageError('--merge needs the JSON reports to merge: triage --merge a.json b.json');
  const { mergeReports, triageReportProblem } = await import('../../triage/merge_reports.ts');
  const reports = files.map((f) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(f === '-' ? 0 : f, 'utf8'));
    } catch (e) {
      throw new UsageError(
        `--merge ${f}: ${(e as NodeJS.ErrnoException).code ?? 'not JSON'}: give reports written by triage --format json`,
      );
    }
    const problem = triageReportProblem(value);
    if (problem) throw new UsageError(`--merge ${f}: ${problem}: give reports written by triage --format json`);
    return value as TriageReport;
  });
  try {
    return mergeReports(reports, analysisOf(o));
  } catch (e) {
    throw new UsageError(`--merge: ${(e as Error).message}`);
  }
}

async function writeHtml(file: string, report: TriageReport): Promise<void> {
  const { formatTriageHtml } = await import('../../triage/format_triage_html.ts');
  try {
    writeFileSync(file, formatTriageHtml(report));
  } catch (e) {
    throw new UsageError(`--html ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function register(program: Command, done: Done): void {
  const cmd = program
    .command('triage')
    .description('aggregate auth failures across logs (or Prometheus, or merged reports): reasons, kids, routes, clients over time')
    .argument('[file...]', 'log files (NDJSON or text, gzip or not); - or none for stdin; with --merge, JSON reports')
    .option('--token-field <path>', 'JSON field holding the token (dotted path; "Bearer " removed), instead of the JWT-shaped search')
    .option('--bucket <duration>', 'time bucket (30s, 1m, 1h, ...)', '1m')
    .option('--mark <instant>', `a deploy or rotation instant: flag reasons whose rate jumps after it (${INSTANT_FORMS})`)
    .option('--retired-kid <kid>', 'a retired key id: its remaining traffic is reported (repeatable)', collect)
    .option('--workers <n>', 'worker threads for parsing and diagnosis (1 to 64)', '1')
    .option('--max-line-bytes <n>', `longer lines are counted as line_too_long and skipped (default ${DEFAULT_MAX_LINE_BYTES})`)
    .option('--no-progress', 'no progress line on stderr (it is shown only on a terminal)')
    .option('--html <file>', 'also write a self-contained HTML report with charts (opens offline)')
    .option('--merge', 'the files are triage JSON reports: sum them into one')
    .addOption(new Option('--prometheus <url>', "read the middleware's reason-coded counters from this Prometheus instead of logs"))
    .option('--since <duration>', 'with --prometheus: how far back (default 1h)');
  addExpectationOptions(cmd);
  cmd.addOption(formatOption(['text', 'json']));
  cmd.addHelpText('after', HELP).action(async (files: string[], flags: TriageOptions) => done(await triageCommand(files, flags)));
}
