import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createDiagnoser } from '../../diagnose/create_diagnoser.ts';
import { addExpectationOptions, addOutputOptions, EXIT, readTokenInput, requireInlineKeys, resolveExpectations, UsageError, type ExpectationFlags } from '../common.ts';
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

export function register(program: Command): void {
  const cmd = program
    .command('diagnose')
    .description('check a token against an environment: claim delta, reason codes, fix directions')
    .argument('[token]', 'the token, a pasted "Authorization: Bearer ..." line, a file holding it, or - for stdin')
    .option('--token-file <file>', 'read the token from a file (- for stdin)')
    .option('--headers <file>', 'request dump or header list (curl -v, curl command, devtools, HAR; - for stdin): the token comes from it and its header hygiene is checked');
  addExpectationOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText('after', HELP).action(async (token: string | undefined, flags: ExpectationFlags & { tokenFile?: string; headers?: string; format: string; sanitize?: boolean }) => {
    const r = resolveExpectations(flags);
    const dump = flags.headers === undefined ? undefined : await import('../../probe/headers.ts');
    if (dump && (token !== undefined || flags.tokenFile !== undefined)) throw new UsageError('--headers FILE supplies the token: drop the token argument and --token-file');
    const hygiene = dump?.checkHeaderDump(dump.parseHeaderDump(readHeadersFile(flags.headers!)), dump.headerSettingsFor(r.expectations));
    const raw = hygiene ? hygiene.token : readTokenInput({ arg: token, tokenFile: flags.tokenFile });
    await requireInlineKeys(r);
    const diagnoser = await createDiagnoser(r.expectations, { ...(r.contract ? { contract: r.contract } : {}), timeoutMs: r.timeoutMs });
    const d0 = diagnoser.diagnose(raw, r.now !== undefined ? { now: r.now } : {});
    const d = dump && hygiene ? dump.mergeHeaderFindings(d0, hygiene) : d0;
    process.stdout.write(renderDiagnosis(d, flags.format, Boolean(flags.sanitize)));
    process.exitCode = d.result === 'valid' ? EXIT.ok : EXIT.fail;
  });
}

/** --headers FILE (or - for stdin): the request dump's text. */
function readHeadersFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --headers ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
