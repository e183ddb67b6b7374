import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ContractError, EXIT, UsageError } from '../../errors.ts';
import { importContract, renderImportedContract, validateImported } from '../../import/import_contract.ts';
import { compareDeployed, type DeployedComparison } from '../../import/compare_deployed.ts';
import { IMPORT_KINDS, ImportError, type ImportKind } from '../../import/types.ts';
import { readConfigSource } from '../../import/read_config.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import { loadContractFlag, pickEnvironment } from '../common.ts';
import { contractOption, envOption, formatOption, parseTimeout, timeoutOption } from '../flags.ts';
import type { Finding } from '../../reasons.ts';

export const IMPORT_HELP = `
Reads a verifier's own configuration and writes a complete contract for the
environment it implies: issuers, audiences, key source (JWKS URL, discovery,
inline keys), header and prefix, clock skew (the verifier's default made
explicit), required claims. What it cannot map is listed as comments on top.
Secrets in the config are never copied: the contract reads them from a variable.

Kinds: envoy (jwt_authn, or an admin config_dump), istio (RequestAuthentication),
kong (declarative config with the jwt plugin), spring (application.yml or
.properties), aspnet (appsettings.json), oauth2-proxy (its .cfg), nginx
(NGINX Plus auth_jwt).

Examples:
  $ jwt-doctor contract import --from envoy envoy.yaml --env staging > auth-contract.yaml
  $ jwt-doctor contract import --from istio request-authentication.yaml --env prod --out prod.yaml
  $ jwt-doctor contract import --from spring src/main/resources/application.yml

Exit codes: 0 written, 2 unreadable config or usage error.`;

export const CHECK_DEPLOYED_HELP = `
The drift between the contract and the verifier that is actually deployed,
field by field (issuer, audience, algorithms, keys, token source, clock
tolerance, required claims), each difference a deployed_config_drift
finding owned by the gateway or verifier team. SOURCE is a file or an
http(s) URL (an Envoy admin /config_dump).

Examples:
  $ jwt-doctor contract check-deployed --env staging --from envoy envoy.yaml
  $ jwt-doctor contract check-deployed --env staging --from envoy http://127.0.0.1:15000/config_dump
  $ jwt-doctor contract check-deployed --env prod --from spring application.yml --format json

Exit codes: 0 no drift, 1 drift, 2 unreadable config, usage or contract error.`;

const kindOption = () => new Option('--from <kind>', 'the verifier whose config this is').choices(IMPORT_KINDS).makeOptionMandatory();

/** The config text: a file, or an http(s) URL fetched with a timeout and a size cap. */
async function readSource(source: string, timeoutMs: number): Promise<string> {
  const r = await readConfigSource(source, timeoutMs);
  if (!r.ok) throw new UsageError(`cannot read ${source}: ${r.message}`);
  return r.text;
}

function importOrUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ImportError) throw new UsageError(`${e.file}: ${e.message}`);
    if (e instanceof ContractError) throw new UsageError(`the imported contract does not load (${e.message}): please report this config`);
    throw e;
  }
}

/** `jwt-doctor contract import --from KIND FILE`: the contract, on stdout or in --out. */
export async function contractImportCommand(
  file: string,
  options: { from: ImportKind; env?: string; out?: string; timeout?: string },
  out: Output = process.stdout,
): Promise<number> {
  const text = await readSource(file, parseTimeout(options.timeout));
  const imported = importOrUsage(() => importContract(options.from, text, file, options.env !== undefined ? { env: options.env } : {}));
  importOrUsage(() => validateImported(imported, options.out ? dirname(resolve(options.out)) : process.cwd()));
  const yaml = renderImportedContract(imported);
  if (options.out) writeFileSync(options.out, yaml);
  else out.write(yaml);
  return EXIT.ok;
}

export interface CheckDeployedReport {
  schema: 'jwt-doctor/check-deployed/v1';
  env: string;
  from: ImportKind;
  source: string;
  fields: DeployedComparison['fields'];
  unmapped: { setting: string; reason: string }[];
  findings: Finding[];
}

/** `jwt-doctor contract check-deployed --env NAME --from KIND SOURCE`. */
export async function checkDeployedCommand(
  source: string,
  options: { from: ImportKind; env?: string; contract?: string; format?: string; timeout?: string },
  out: Output = process.stdout,
): Promise<number> {
  const contract = loadContractFlag(options, true)!;
  const env = pickEnvironment(contract, options.env);
  const text = await readSource(source, parseTimeout(options.timeout));
  const imported = importOrUsage(() => importContract(options.from, text, source));
  const cmp = compareDeployed(env, imported);
  const report: CheckDeployedReport = {
    schema: 'jwt-doctor/check-deployed/v1',
    env: env.name ?? '',
    from: options.from,
    source,
    fields: cmp.fields,
    unmapped: imported.unmapped,
    findings: cmp.findings,
  };
  writeReport(out, options.format, report, formatCheckDeployed);
  return cmp.findings.length > 0 ? EXIT.fail : EXIT.ok;
}

function formatCheckDeployed(r: CheckDeployedReport): string {
  const v = (x: unknown) =>
    x === null ? '(not set)' : Array.isArray(x) ? x.join(', ') : typeof x === 'object' ? JSON.stringify(x) : String(x);
  const lines = [`env = ${r.env}`, `deployed = ${r.from} ${r.source}`, ''];
  for (const f of r.fields)
    lines.push(`${f.field} = ${f.same ? 'same' : `drift deployed_config_drift: contract ${v(f.contract)}; deployed ${v(f.deployed)}`}`);
  if (r.unmapped.length > 0)
    lines.push('', 'not compared (the config says what the contract cannot):', ...r.unmapped.map((u) => `  ${u.setting}: ${u.reason}`));
  lines.push('', `result = ${r.findings.length === 0 ? 'no drift' : `${r.findings.length} field(s) drift`}`);
  return lines.join('\n') + '\n';
}

export function registerImport(contract: Command, done: Done): void {
  contract
    .command('import')
    .description("write a contract from a deployed verifier's own config (envoy, istio, kong, spring, aspnet, oauth2-proxy, nginx)")
    .argument('<file>', 'the config file (or an http(s) URL)')
    .addOption(kindOption())
    .addOption(envOption('name of the environment written (default imported)'))
    .option('--out <file>', 'write the contract here instead of stdout')
    .addOption(timeoutOption())
    .addHelpText('after', IMPORT_HELP)
    .action(async (file: string, flags: { from: ImportKind; env?: string; out?: string; timeout?: string }) =>
      done(await contractImportCommand(file, flags)),
    );
  contract
    .command('check-deployed')
    .description("drift between the contract and a deployed verifier's config, field by field")
    .argument('<source>', 'the config file, or an http(s) URL (Envoy admin /config_dump)')
    .addOption(kindOption())
    .addOption(contractOption())
    .addOption(envOption('environment of the contract to compare'))
    .addOption(formatOption(['text', 'json']))
    .addOption(timeoutOption())
    .addHelpText('after', CHECK_DEPLOYED_HELP)
    .action(async (source: string, flags: { from: ImportKind; env?: string; contract?: string; format?: string; timeout?: string }) =>
      done(await checkDeployedCommand(source, flags)),
    );
}
