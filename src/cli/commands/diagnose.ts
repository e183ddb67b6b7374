import type { Command } from 'commander';
import { createDiagnoser } from '../../diagnose.ts';
import { addExpectationOptions, addOutputOptions, EXIT, readTokenInput, resolveExpectations, type ExpectationFlags } from '../common.ts';
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

Exit codes: 0 valid, 1 the token fails a check, 2 usage or contract error.`;

export function register(program: Command): void {
  const cmd = program
    .command('diagnose')
    .description('check a token against an environment: claim delta, reason codes, fix directions')
    .argument('[token]', 'the token, a pasted "Authorization: Bearer ..." line, or - for stdin')
    .option('--token-file <file>', 'read the token from a file');
  addExpectationOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText('after', HELP).action(async (token: string | undefined, flags: ExpectationFlags & { tokenFile?: string; format: string; sanitize?: boolean }) => {
    const raw = readTokenInput(token, flags.tokenFile);
    const r = resolveExpectations(flags);
    const diagnoser = await createDiagnoser(r.expectations, { ...(r.contract ? { contract: r.contract } : {}), timeoutMs: r.timeoutMs });
    const d = diagnoser.diagnose(raw, r.now !== undefined ? { now: r.now } : {});
    process.stdout.write(renderDiagnosis(d, flags.format, Boolean(flags.sanitize)));
    process.exitCode = d.result === 'valid' ? EXIT.ok : EXIT.fail;
  });
}
