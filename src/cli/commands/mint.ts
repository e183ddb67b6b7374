import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../../errors.ts';
import { loadContractFlag } from '../common.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import {
  collect,
  contractOption,
  envOption,
  formatOption,
  nowOption,
  parseNowFlag,
  parseNumberFlag,
  secretEncodingOption,
} from '../flags.ts';
import { ALGORITHM_NAMES } from '../../keys/algorithms.ts';
import type { SecretEncoding } from '../../keys/import.ts';
import type { SecretRef } from '../../contract/secret_ref.ts';
import { MINTABLE_FAULT_CODES, MINTABLE_FAULTS, isMintableFault } from '../../mint/faults.ts';
import type { SignerSpec } from '../../mint/load_signer.ts';

const HELP = `
Mints a token shaped as the environment's signer mints it: iss (the first
accepted issuer), aud (the client's or the environment's first audience),
typ, alg and kid of the signer, every expected claim's value, a
placeholder for other required claims, iat = now, exp = now + lifetime
(--lifetime, else the client's or policy.tokenLifetimeSeconds, else 900),
a random jti. Signed with the environment's signer: section (privateKey or
secret, read from a variable or a file), or --signer-key / --signer-secret.
With --fault CODE the token has exactly that one fault: diagnose against
the same environment names it first. Faults:
${MINTABLE_FAULT_CODES.map((c) => `  ${c.padEnd(24)}${MINTABLE_FAULTS[c].change}`).join('\n')}

Prints the token only (stdout), so it pipes into diagnose; --format json
adds its header, claims, the fault made and the signer's kid and
thumbprint (or fingerprint): never the key. An environment marked
production: true is refused unless --i-know.

Examples:
  $ jwt-doctor mint --env staging
  $ jwt-doctor mint --env staging --fault audience_mismatch | jwt-doctor diagnose - --env staging
  $ jwt-doctor mint --env staging --client mobile --lifetime 300 --claim scope="orders:read orders:write"
  $ jwt-doctor mint --env staging --signer-key keys/staging-signer.private.pem --kid staging-2026-11 --format json
  $ jwt-doctor mint --env local --signer-secret env:JWT_SECRET --signer-secret-encoding base64

Exit codes: 0 minted, 2 usage or contract error (no signer, a fault the
environment cannot have, production without --i-know).`;

export interface MintCommandOptions {
  contract?: string;
  env?: string;
  client?: string;
  fault?: string;
  claim?: string[];
  lifetime?: string;
  signerKey?: string;
  signerSecret?: string;
  signerSecretEncoding?: string;
  kid?: string;
  alg?: string;
  jti?: string;
  now?: string;
  iKnow?: boolean;
  format?: string;
}

/**
 * `jwt-doctor mint --env NAME`: prints a token minted as the environment's
 * signer would (src/mint/mint_token.ts). Returns the exit code.
 *
 * @example const code = await mintCommand({ contract: 'auth-contract.yaml', env: 'staging', fault: 'token_expired' }, out);
 */
export async function mintCommand(options: MintCommandOptions, out: Output = process.stdout): Promise<number> {
  if (options.env === undefined) throw new UsageError('mint needs --env NAME: the environment whose signer to imitate');
  if (options.fault !== undefined && !isMintableFault(options.fault))
    throw new UsageError(`--fault ${options.fault} is not a mintable fault; one of: ${MINTABLE_FAULT_CODES.join(', ')}`);
  const contract = loadContractFlag(options, true)!;
  const { mintToken } = await import('../../mint/mint_token.ts');
  const signer = signerFromFlags(options, contract.environments[options.env]?.signer as SignerSpec | undefined);
  const lifetime = parseNumberFlag('--lifetime', options.lifetime, { min: 1, integer: true, unit: 'seconds' });
  const minted = mintToken(contract, options.env, {
    now: parseNowFlag(options.now),
    ...(options.client !== undefined ? { client: options.client } : {}),
    ...(options.fault !== undefined ? { fault: options.fault as (typeof MINTABLE_FAULT_CODES)[number] } : {}),
    ...(options.claim ? { claims: parseClaims(options.claim) } : {}),
    ...(lifetime !== undefined ? { lifetimeSeconds: lifetime } : {}),
    ...(signer ? { signer } : {}),
    ...(options.jti !== undefined ? { jti: options.jti } : {}),
    allowProduction: options.iKnow === true,
  });
  writeReport(out, options.format, minted, (m) => `${m.token}\n`);
  return EXIT.ok;
}

/**
 * `--claim k=v`: the value is JSON when it parses as JSON (42, true,
 * ["a","b"], {"x":1}), else the text itself (`scope=orders:read`).
 */
export function parseClaims(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new UsageError(`--claim expects NAME=VALUE, got "${pair}"`);
    const text = pair.slice(i + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Plain text.
    }
    out[pair.slice(0, i)] = value;
  }
  return out;
}

/** --signer-key / --signer-secret / --kid / --alg over the contract's signer; undefined when no flag is given. */
function signerFromFlags(o: MintCommandOptions, contractSigner: SignerSpec | undefined): SignerSpec | undefined {
  if (o.signerKey !== undefined && o.signerSecret !== undefined) throw new UsageError('give --signer-key or --signer-secret, not both');
  if (o.signerKey === undefined && o.signerSecret === undefined && o.kid === undefined && o.alg === undefined) return undefined;
  const base: SignerSpec = o.signerKey !== undefined || o.signerSecret !== undefined ? {} : { ...(contractSigner ?? {}) };
  if (o.signerKey !== undefined) base.privateKey = o.signerKey.startsWith('env:') ? { env: o.signerKey.slice(4) } : { file: o.signerKey };
  if (o.signerSecret !== undefined)
    base.secret = { ...secretRefFlag(o.signerSecret), encoding: (o.signerSecretEncoding ?? 'utf8') as SecretEncoding };
  if (o.kid !== undefined) base.kid = o.kid;
  if (o.alg !== undefined) base.alg = o.alg;
  if (!base.privateKey && !base.secret)
    throw new UsageError('--kid / --alg need a signer: a signer: section in the contract, --signer-key or --signer-secret');
  return base;
}

/** A secret on the command line leaks through shell history and ps: only env:NAME or @FILE. */
function secretRefFlag(v: string): SecretRef {
  if (v.startsWith('env:') && v.length > 4) return { env: v.slice(4) };
  if (v.startsWith('@') && v.length > 1) return { file: v.slice(1) };
  throw new UsageError('--signer-secret takes env:NAME or @FILE, never the secret itself (it would stay in shell history and ps)');
}

export function register(program: Command, done: Done): void {
  program
    .command('mint')
    .description("mint a token as an environment's signer would, valid or with exactly one fault")
    .addOption(contractOption())
    .addOption(envOption('environment whose signer to imitate'))
    .option('--client <name>', 'client of the environment (clients.<name>): its audience and tokenLifetimeSeconds')
    .addOption(new Option('--fault <code>', 'produce exactly this one fault').choices(MINTABLE_FAULT_CODES))
    .option('--claim <name=value>', 'add or replace a claim (repeatable; JSON values: 42, true, ["a","b"])', collect)
    .option('--lifetime <seconds>', 'exp - iat (default: client, policy.tokenLifetimeSeconds, else 900)')
    .option('--signer-key <path>', 'private key: PEM (PKCS#8, PKCS#1, SEC1) or private JWK file, or env:NAME')
    .option('--signer-secret <ref>', 'HMAC secret: env:NAME or @FILE (never the value)')
    .addOption(secretEncodingOption('--signer-secret-encoding', 'how to read --signer-secret'))
    .option('--kid <kid>', 'kid in the header (overrides the signer section)')
    .addOption(new Option('--alg <alg>', 'algorithm (overrides the signer section)').choices(ALGORITHM_NAMES))
    .option('--jti <id>', 'a fixed jti (default: a random UUID)')
    .addOption(nowOption('mint at this instant (ISO 8601 with Z or an offset, or UNIX seconds; default now)'))
    .option('--i-know', 'mint for an environment marked production: true')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action(async (flags: MintCommandOptions) => done(await mintCommand(flags)));
}
