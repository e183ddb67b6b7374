/**
 * The page's API, as functions of a parsed JSON body: the diagnosis runs
 * here, in the local process that holds the contract's keys; what goes
 * back to the browser is the diagnosis (identities of keys, never their
 * material), its renderings and the match table.
 */
import type { Contract } from '../contract/load.ts';
import type { Diagnoser, Diagnosis } from '../diagnose.ts';
import { translateMessage, type Translation } from '../explain/translate.ts';
import { matchWithDiagnosers, type MatchReport } from '../match.ts';
import { headerSettingsFor, mergeHeaderFindings } from '../probe/headers.ts';
import { REASONS } from '../reasons.ts';
import { formatDiagnosisMarkdown } from '../report/markdown.ts';
import { sanitizeDiagnosis } from '../report/sanitize.ts';
import { formatDiagnosisText } from '../report/text.ts';
import { buildClaimRows, type ClaimRow } from './claim_rows.ts';
import { refuse, type Refusal } from './guard.ts';
import { readPastedInput, type PastedInput } from './read_pasted_input.ts';

/** What the API needs: the contract, its prepared diagnosers, and the clock. */
export interface UiContext {
  contract: Contract;
  /** The contract file as the user named it, for the equivalent CLI command. */
  contractFile: string;
  /** A fixed check instant (NumericDate seconds); default the wall clock at each request. */
  now?: number;
  diagnosers(): Promise<ReadonlyMap<string, Diagnoser>>;
}

export interface DiagnoseResponse {
  schema: 'jwt-doctor/ui/diagnose/v1';
  input: { kind: PastedInput['kind']; format?: string };
  /** The object `diagnose --format json` prints. */
  diagnosis: Diagnosis;
  /** The seed guide's six lines: iss/aud token and expected, signature, result. */
  delta: string;
  rows: ClaimRow[];
  match: Omit<MatchReport, 'diagnoses'>;
  /** The incident-notes report, sanitized (identifying claims hashed). */
  markdown: string;
  /** The CLI command that gives the same diagnosis. */
  command: string;
}

/** The seed's claim delta is the first six lines of the text report. */
const DELTA_LINES = 6;

/** POST /api/diagnose {input (or token), env}. */
export async function diagnoseRequest(body: unknown, ctx: UiContext): Promise<DiagnoseResponse | Refusal> {
  // `token` is accepted too: what scripts calling the API tend to name it.
  const input = stringField(body, 'input') ?? stringField(body, 'token');
  const env = stringField(body, 'env');
  if (input === undefined || env === undefined)
    return refuse(400, 'invalid_request', 'send {"input": token, header line or curl command, "env": environment name}');
  const expectations = Object.hasOwn(ctx.contract.environments, env) ? ctx.contract.environments[env] : undefined;
  const diagnoser = expectations ? (await ctx.diagnosers()).get(env) : undefined;
  if (!expectations || !diagnoser)
    return refuse(
      400,
      'unknown_environment',
      `unknown environment (the contract has: ${Object.keys(ctx.contract.environments).join(', ')})`,
    );
  const pasted = readPastedInput(input, headerSettingsFor(expectations as Record<string, unknown>));
  const at = ctx.now !== undefined ? { now: ctx.now } : {};
  const token = pasted.kind === 'token' ? pasted.text : pasted.hygiene.token;
  const plain = diagnoser.diagnose(token, at);
  const diagnosis = pasted.kind === 'headers' ? mergeHeaderFindings(plain, pasted.hygiene) : plain;
  const { diagnoses: _all, ...match } = matchWithDiagnosers(token, await ctx.diagnosers(), at);
  return {
    schema: 'jwt-doctor/ui/diagnose/v1',
    input: { kind: pasted.kind, ...(pasted.kind === 'headers' ? { format: pasted.format } : {}) },
    diagnosis,
    delta: formatDiagnosisText(diagnosis).split('\n').slice(0, DELTA_LINES).join('\n'),
    rows: buildClaimRows(diagnosis),
    match,
    markdown: formatDiagnosisMarkdown(sanitizeDiagnosis(diagnosis)),
    command: equivalentCommand(ctx, env, pasted.kind),
  };
}

/**
 * The `jwt-doctor diagnose` run that gives the same diagnosis, with the
 * token as "$TOKEN" (the command is for notes and chats: never the token).
 */
export function equivalentCommand(ctx: Pick<UiContext, 'contractFile' | 'now'>, env: string, kind: PastedInput['kind']): string {
  const now = ctx.now !== undefined ? ['--now', new Date(ctx.now * 1000).toISOString()] : [];
  const tail = ['--contract', ctx.contractFile, '--env', env, ...now].map(shellWord).join(' ');
  return kind === 'token' ? `jwt-doctor diagnose "$TOKEN" ${tail}` : `jwt-doctor diagnose --headers - ${tail} < request.txt`;
}

/** A word for a POSIX shell: as is when it is plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface EnvironmentsResponse {
  schema: 'jwt-doctor/ui/environments/v1';
  contract: string;
  environments: { name: string; description?: string; issuer?: string[]; audience?: string[]; production: boolean }[];
}

/** GET /api/environments: names and what the picker shows, never keys. */
export function environmentsResponse(ctx: UiContext): EnvironmentsResponse {
  const raw = (ctx.contract.raw.environments ?? {}) as Record<string, { description?: unknown }>;
  const environments = Object.entries(ctx.contract.environments).map(([name, e]) => {
    const description = raw[name]?.description;
    return {
      name,
      ...(typeof description === 'string' ? { description } : {}),
      ...(e.issuer !== undefined ? { issuer: [e.issuer].flat() } : {}),
      ...(e.audience !== undefined ? { audience: [e.audience].flat() } : {}),
      production: e.production === true,
    };
  });
  return { schema: 'jwt-doctor/ui/environments/v1', contract: ctx.contractFile, environments };
}

export interface ExplainResponse {
  schema: 'jwt-doctor/ui/explain/v1';
  translation: Translation | null;
  reason?: { title: string; hint: string; owner: string };
}

/** POST /api/explain {text}: a verifier's error message as a reason code. */
export function explainRequest(body: unknown): ExplainResponse | Refusal {
  const text = stringField(body, 'text');
  if (text === undefined) return refuse(400, 'invalid_request', 'send {"text": the error message}');
  const t = translateMessage(text);
  if (!t) return { schema: 'jwt-doctor/ui/explain/v1', translation: null };
  const r = REASONS[t.code];
  return { schema: 'jwt-doctor/ui/explain/v1', translation: t, reason: { title: r.title, hint: r.hint, owner: r.owner } };
}

function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}
