import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createDiagnoser } from '../../diagnose/create_diagnoser.ts';
import {
  addExpectationOptions,
  addOutputOptions,
  EXIT,
  readTokenInput,
  requireInlineKeys,
  resolveExpectations,
  UsageError,
  type ExpectationFlags,
  type ResolvedExpectations,
} from '../common.ts';
import type { Diagnosis } from '../../diagnose.ts';
import type { Done, Output } from '../command.ts';
import { tokenArgument, tokenFileOption } from '../flags.ts';
import { renderDiagnosis } from '../output.ts';

const HELP = `
Every check runs; none stops the others. The header and claims shown are
as decoded from the token: trust them only when signature = pass.

Examples:
  $ jwt-doctor diagnose "$TOKEN" --env staging
  $ jwt-doctor diagnose "Authorization: Bearer $TOKEN" --env staging --format json
  $ jwt-doctor diagnose - --env prod --format markdown --sanitize < token.txt
  $ jwt-doctor diagnose "$TOKEN" --iss https://auth.example.com --aud web-prod --key prod.pem --alg RS256
  $ jwt-doctor diagnose "$TOKEN" --secret env:JWT_SECRET --secret-encoding base64 --now 2026-11-28T12:00:00Z
  $ curl -v https://api.staging.example.com/v1/me 2>&1 | jwt-doctor diagnose --headers - --env staging

Exit codes: 0 valid, 1 the token fails a check, 2 usage or contract error.`;

export interface DiagnoseOptions extends ExpectationFlags {
  tokenFile?: string;
  /** A request dump (or - for stdin) the token and its header hygiene come from. */
  headers?: string;
  format?: string;
  sanitize?: boolean;
  /** commander's --no-revocation: false skips the environment's revocation source. */
  revocation?: boolean;
}

/**
 * `jwt-doctor diagnose`: every check of the token against the expectations
 * (a contract environment, inline flags, or both). Returns the exit code:
 * 0 valid, 1 the token fails a check (usage and contract errors throw).
 *
 * @example const code = await diagnoseCommand(token, { contract: 'auth-contract.yaml', env: 'staging', format: 'json' }, out);
 */
export async function diagnoseCommand(token: string | undefined, options: DiagnoseOptions, out: Output = process.stdout): Promise<number> {
  const r = resolveExpectations(options);
  const dump = options.headers === undefined ? undefined : await import('../../probe/headers.ts');
  if (dump && (token !== undefined || options.tokenFile !== undefined))
    throw new UsageError('--headers FILE supplies the token: drop the token argument and --token-file');
  const hygiene = dump?.checkHeaderDump(dump.parseHeaderDump(readHeadersFile(options.headers!)), dump.headerSettingsFor(r.expectations));
  const raw = hygiene ? hygiene.token : readTokenInput({ arg: token, tokenFile: options.tokenFile });
  await requireInlineKeys(r);
  const diagnoser = await createDiagnoser(r.expectations, { ...(r.contract ? { contract: r.contract } : {}), timeoutMs: r.timeoutMs });
  const d0 = diagnoser.diagnose(raw, r.now !== undefined ? { now: r.now } : {});
  const d1 = dump && hygiene ? dump.mergeHeaderFindings(d0, hygiene) : d0;
  const d = options.revocation === false ? d1 : await checkRevoked(d1, raw, r);
  out.write(renderDiagnosis(d, options.format ?? 'text', Boolean(options.sanitize)));
  return d.result === 'valid' ? EXIT.ok : EXIT.fail;
}

export function register(program: Command, done: Done): void {
  const cmd = program
    .command('diagnose')
    .description('check a token against an environment: claim delta, reason codes, fix directions')
    .addArgument(tokenArgument('the token, a pasted "Authorization: Bearer ..." line, a file holding it, or - for stdin'))
    .addOption(tokenFileOption())
    .option(
      '--headers <file>',
      'request dump or header list (curl -v, curl command, devtools, HAR; - for stdin): the token comes from it and its header hygiene is checked',
    )
    .option('--no-revocation', "skip the environment's revocation source (policy.revocation): no token_revoked lookup");
  addExpectationOptions(cmd);
  addOutputOptions(cmd);
  cmd
    .addHelpText('after', HELP)
    .action(async (token: string | undefined, flags: DiagnoseOptions) => done(await diagnoseCommand(token, flags)));
}

/** The environment's revocation source (policy.revocation), when it names one: token_revoked / revocation_unavailable. */
async function checkRevoked(d: Diagnosis, raw: string, r: ResolvedExpectations): Promise<Diagnosis> {
  if (d.result !== 'valid' || !r.contract) return d;
  const { readPolicySection } = await import('../../contract/sections.ts');
  const config = readPolicySection(r.contract, r.expectations).revocationSource;
  if (!config) return d;
  const [{ createRevocationSource }, { addRevocationFinding }] = await Promise.all([
    import('../../revocation/from_config.ts'),
    import('../../revocation/add_revocation_finding.ts'),
  ]);
  const source = createRevocationSource(config, { baseDir: r.contract.baseDir, timeoutMs: r.timeoutMs });
  try {
    return await addRevocationFinding(d, raw, source);
  } finally {
    await source.close?.();
  }
}

/** --headers FILE (or - for stdin): the request dump's text. */
function readHeadersFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --headers ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
