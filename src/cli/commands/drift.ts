import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { EXIT, loadContractFlag, pickEnvironment, UsageError } from '../common.ts';
import { compareEnvironments, importSignerKey, type DriftReport } from '../../rotation/compare_environments.ts';
import { formatFindingLine, formatTable } from '../../rotation/format_text.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import { contractOption, formatOption, parseTimeout, secretEncodingOption, timeoutOption } from '../flags.ts';
import type { KeyRecord, SecretEncoding } from '../../keys/import.ts';

const HELP = `
Key identity is compared by RFC 7638 thumbprint (public keys) and keyed
fingerprint (secrets, fingerprintSecret): secret values never appear.

Examples:
  $ jwt-doctor drift --from staging --to prod
  $ jwt-doctor drift --from local --to staging --signer-key keys/staging-signer.private.pem
  $ jwt-doctor drift --from local --to staging --signer-secret env:JWT_SECRET --signer-secret-encoding base64 --format json

Exit codes: 0 the environments agree (and the signer key is trusted by both),
1 a difference, 2 usage or contract error.`;

function show(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(String).join(', ') || '-';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * `drift` as text: a field table, key identity sets, signer trust.
 *
 * @example process.stdout.write(formatDriftText(report))
 */
export function formatDriftText(r: DriftReport): string {
  let out = formatTable([
    ['field', r.from, r.to, ''],
    ...r.fields.map((f) => [f.field, show(f.from), show(f.to), f.same ? 'same' : 'DIFFERS']),
  ]);
  const list = (title: string, ks: DriftReport['keys']['both']) =>
    `\n${title}:\n` +
    (ks.length
      ? ks.map((k) => `  ${k.identity}  kid=${k.kid ?? '-'}  ${k.kty}${k.alg ? ' ' + k.alg : ''}  (${k.source})`).join('\n')
      : '  (none)') +
    '\n';
  out += list(`keys trusted by both`, r.keys.both);
  out += list(`keys trusted only by ${r.from}`, r.keys.onlyFrom);
  out += list(`keys trusted only by ${r.to}`, r.keys.onlyTo);
  if (r.signer) {
    out += `\nsigner_key = ${r.signer.identity}${r.signer.kid ? ` kid=${r.signer.kid}` : ''} (${r.signer.kty}; ${r.signer.algorithms.join(', ')})\n`;
    out += formatTable([
      ['env', 'trusts_signer', 'alg_allowed', 'note'],
      ...r.signer.trust.map((t) => [
        t.env,
        t.trusted ? 'yes' : 'no',
        t.algorithmAllowed ? 'yes' : 'no',
        t.trustedWithEncoding
          ? `same secret text, but read here as ${t.trustedWithEncoding} and by the signer as ${r.signer!.encoding ?? 'utf8'}`
          : '',
      ]),
    ]);
  }
  if (r.findings.length) out += '\n' + r.findings.map(formatFindingLine).join('\n') + '\n';
  out += `\ndifferences = ${r.differences}\n`;
  return out;
}

function readSecretFlag(v: string): string {
  if (v.startsWith('@')) {
    try {
      // Raw, as a verifier reads a secret file (docs/security.md "Secret readings"): drift compares both readings.
      return readFileSync(v.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --signer-secret ${v}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (v.startsWith('env:')) {
    const val = process.env[v.slice(4)];
    if (val === undefined || val === '') throw new UsageError(`--signer-secret ${v}: environment variable ${v.slice(4)} is not set`);
    return val;
  }
  return v;
}

export interface DriftOptions {
  from: string;
  to: string;
  contract?: string;
  signerKey?: string;
  signerSecret?: string;
  signerSecretEncoding?: string;
  timeout?: string;
  format?: string;
}

/**
 * `jwt-doctor drift --from A --to B`: two environments side by side, with
 * the keys each trusts. Returns the exit code: 0 they agree (and the signer
 * key is trusted by both), 1 a difference.
 *
 * @example const code = await driftCommand({ from: 'staging', to: 'prod', contract: 'auth-contract.yaml' }, out);
 */
export async function driftCommand(options: DriftOptions, out: Output = process.stdout): Promise<number> {
  const contract = loadContractFlag(options, true)!;
  pickEnvironment(contract, options.from);
  pickEnvironment(contract, options.to);
  const timeoutMs = parseTimeout(options.timeout);
  const signer = readSigner(options);
  const report = await compareEnvironments(contract, options.from, options.to, { ...(signer ? { signer } : {}), timeoutMs });
  writeReport(out, options.format, report, formatDriftText);
  const signerOk =
    !report.signer ||
    report.signer.trust.filter((t) => t.env === options.from || t.env === options.to).every((t) => t.trusted && t.algorithmAllowed);
  return report.differences === 0 && signerOk ? EXIT.ok : EXIT.fail;
}

/** --signer-key or --signer-secret, imported; a key that does not import is a usage error. */
function readSigner(options: DriftOptions): KeyRecord | undefined {
  if (options.signerKey !== undefined && options.signerSecret !== undefined)
    throw new UsageError('give --signer-key or --signer-secret, not both');
  try {
    if (options.signerKey !== undefined) return importSignerKey({ file: options.signerKey });
    if (options.signerSecret !== undefined)
      return importSignerKey({
        secret: readSecretFlag(options.signerSecret),
        encoding: (options.signerSecretEncoding ?? 'utf8') as SecretEncoding,
      });
  } catch (e) {
    throw new UsageError(`cannot use the signer key: ${(e as Error).message}`);
  }
  return undefined;
}

export function register(program: Command, done: Done): void {
  program
    .command('drift')
    .description('two environments side by side, including which keys each trusts')
    .requiredOption('--from <env>', 'first environment')
    .requiredOption('--to <env>', 'second environment')
    .addOption(contractOption())
    .option('--signer-key <file>', "the signer's key: private or public PEM, certificate, or JWK")
    .option('--signer-secret <secret>', "the signer's HMAC secret: VALUE, @FILE or env:NAME")
    .addOption(secretEncodingOption('--signer-secret-encoding', 'how the signer reads its secret'))
    .addOption(timeoutOption())
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action(async (flags: DriftOptions) => done(await driftCommand(flags)));
}
