/**
 * Keeps README.md and docs/ generated from the code, never copied by hand:
 *
 * - `<!-- begin:out NAME -->` ... `<!-- end:out NAME -->`: the real output of
 *   the command OUTPUTS[NAME] (run through tsx from the sources), with its
 *   exit code when it is not 0;
 * - `<!-- begin:help CMD [SUB] -->` ... `<!-- end:help CMD [SUB] -->`: the
 *   output of `jwt-doctor CMD [SUB] --help`;
 * - `<!-- begin:commands -->`: the command list of `jwt-doctor --help`, each
 *   linked to its docs/cli/<command>.md;
 * - `<!-- begin:reason-table -->`, `<!-- begin:category-order -->`: the
 *   reason-code registry and the result ranking (src/reasons.ts);
 * - `<!-- begin:forensic-causes -->`: the signature forensics causes
 *   (src/forensics/causes.ts), the values of `detail.cause`;
 * - `<!-- begin:contract-fields -->`: the contract reference table, from the
 *   `description` of every field of src/contract/schema.ts;
 * - `<!-- begin:explain-table -->`: every message `explain` translates
 *   (src/explain/translations.ts);
 * - schema/auth-contract.schema.json: the contract's JSON Schema, for editors.
 *
 * Every command named by `jwt-doctor --help` gets a docs/cli/<command>.md
 * (created with its help blocks when missing, under --write).
 *
 *   node --import tsx scripts/docs.ts --write   # refresh README.md, docs/ and schema/
 *   node --import tsx scripts/docs.ts --check   # exit 1 naming every stale file (test/docs/generated.test.ts)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoryOrder, forensicCauseTable, reasonTable } from './reason-table.ts';
import { contractFieldTable, contractJsonSchema } from './contract-reference.ts';
import { explainTable } from './explain-table.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_FILE = 'schema/auth-contract.schema.json';

interface OutputSpec {
  argv: string[];
  /** Folder the command runs in, relative to the repository root (default: the root). */
  cwd?: string;
}

const C = ['--contract', 'examples/auth-contract.yaml'];
const NOW = ['--now', '2026-11-28T12:05:00Z'];
const STAGING_SET = 'keys/staging.jwks.json';
const COGNITO = [
  '--iss',
  'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aaaaaaaaa',
  '--aud',
  '1example23456789',
  '--key',
  'examples/keys/staging.jwks.json',
];

/** name -> the `jwt-doctor` run whose output a doc block shows. */
export const OUTPUTS: Record<string, OutputSpec> = {
  'contract-import': { argv: ['contract', 'import', '--from', 'envoy', 'test/import/fixtures/envoy.yaml', '--env', 'staging'] },
  'contract-check-deployed': {
    argv: [
      'contract',
      'check-deployed',
      '--env',
      'staging',
      '--contract',
      'test/import/fixtures/auth-contract.yaml',
      '--from',
      'envoy',
      'test/import/fixtures/envoy.yaml',
    ],
  },
  'provider-cognito-detected': { argv: ['diagnose', 'examples/tokens/providers/cognito-access.jwt', ...COGNITO, ...NOW] },
  'provider-cognito-contract': {
    argv: ['diagnose', 'examples/tokens/providers/cognito-access.jwt', ...COGNITO, '--provider', 'cognito', ...NOW],
  },
  'provider-entra': {
    argv: [
      'diagnose',
      'examples/tokens/providers/entra-v1.jwt',
      '--iss',
      'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
      '--aud',
      'api://orders',
      '--key',
      'examples/keys/staging.jwks.json',
      ...NOW,
    ],
  },
  'provider-keycloak': {
    argv: [
      'diagnose',
      'examples/tokens/providers/keycloak-account.jwt',
      '--iss',
      'https://kc.example.com/realms/shop',
      '--aud',
      'orders-api',
      '--key',
      'examples/keys/staging.jwks.json',
      ...NOW,
    ],
  },
  demo: { argv: ['demo'] },
  'demo-offline': { argv: ['demo', '--offline'] },
  decode: { argv: ['decode', 'examples/tokens/local-login.jwt', ...NOW] },
  'diagnose-staging': { argv: ['diagnose', 'examples/tokens/local-login.jwt', ...C, '--env', 'staging', ...NOW] },
  'diagnose-encoding': { argv: ['diagnose', 'examples/tokens/local-hs256.jwt', ...C, '--env', 'local', ...NOW] },
  'diagnose-json': {
    argv: ['diagnose', 'examples/tokens/local-login.jwt', ...C, '--env', 'staging', ...NOW, '--format', 'json', '--sanitize'],
  },
  'diagnose-markdown': {
    argv: [
      'diagnose',
      'examples/tokens/local-login.jwt',
      ...C,
      '--env',
      'prod',
      '--now',
      '2026-11-28T13:00:04Z',
      '--format',
      'markdown',
      '--sanitize',
    ],
  },
  'diagnose-inline': {
    argv: [
      'diagnose',
      'examples/tokens/local-login.jwt',
      '--iss',
      'https://auth.staging.example.com/',
      '--aud',
      'web',
      '--key',
      'examples/keys/staging.jwks.json',
      '--typ',
      'at+jwt',
      ...NOW,
    ],
  },
  match: { argv: ['match', 'examples/tokens/local-login.jwt', ...C, ...NOW] },
  triage: {
    argv: ['triage', 'examples/logs/gateway.ndjson', ...C, '--env', 'staging', '--mark', '2026-11-28T12:15:00Z', ...NOW],
  },
  'keys-file': { argv: ['keys', STAGING_SET], cwd: 'examples' },
  'keys-env': { argv: ['keys', '--env', 'local', '--contract', 'auth-contract.yaml'], cwd: 'examples' },
  'keys-x5c': { argv: ['keys', 'test/rotation/fixtures/x5c.jwks.json', '--now', '2026-11-28T12:05:00Z'] },
  'rotation-overlap-files': {
    argv: [
      'rotation',
      'overlap',
      '--old',
      STAGING_SET,
      '--new',
      'keys/prod.jwks.json',
      '--lifetime',
      '3600',
      '--clock-tolerance',
      '10',
      '--switched-at',
      '2026-11-28T18:30:00Z',
      '--retire-at',
      '2026-11-28T19:00:00Z',
      '--now',
      '2026-11-28T18:45:00Z',
    ],
    cwd: 'examples',
  },
  drift: { argv: ['drift', '--from', 'staging', '--to', 'prod', '--contract', 'auth-contract.yaml'], cwd: 'examples' },
  'drift-signer-secret': {
    argv: [
      'drift',
      '--from',
      'local',
      '--to',
      'staging',
      '--contract',
      'auth-contract.yaml',
      '--signer-secret',
      '@keys/local.secret',
      '--signer-secret-encoding',
      'base64',
    ],
    cwd: 'examples',
  },
  'drift-json': {
    argv: [
      'drift',
      '--from',
      'local',
      '--to',
      'staging',
      '--contract',
      'auth-contract.yaml',
      '--signer-key',
      'keys/staging-signer.private.pem',
      '--format',
      'json',
    ],
    cwd: 'examples',
  },
  'contract-diff': { argv: ['contract', 'diff', 'test/rotation/fixtures/contract-v1.yaml', 'test/rotation/fixtures/contract-v2.yaml'] },
  'policy-token': {
    argv: ['policy', '--env', 'staging', '--contract', 'auth-contract.yaml', '../tokens/local-login.jwt', '--now', '2026-11-28T12:56:00Z'],
    cwd: 'examples/policy',
  },
  'policy-keys': {
    argv: ['policy', '--env', 'staging', '--contract', 'auth-contract.yaml', '--now', '2026-09-01T00:00:00Z'],
    cwd: 'examples/policy',
  },
  'policy-markdown': {
    argv: [
      'policy',
      '--env',
      'staging',
      '--contract',
      'auth-contract.yaml',
      '../tokens/local-login.jwt',
      '--now',
      '2026-11-28T12:40:00Z',
      '--format',
      'markdown',
    ],
    cwd: 'examples/policy',
  },
  'check-staging': {
    argv: ['check', '--contract', 'auth-contract.yaml', '--env', 'staging', '--now', '2026-11-28T12:05:00Z'],
    cwd: 'examples/check',
  },
  'check-clients': {
    argv: ['check', '--contract', 'auth-contract.yaml', '--env', 'shop', '--now', '2026-11-28T12:05:00Z'],
    cwd: 'examples/check',
  },
  'check-markdown': {
    argv: [
      'check',
      '--contract',
      'auth-contract.yaml',
      '--env',
      'shop',
      '--client',
      'mobile',
      '--now',
      '2026-11-28T12:05:00Z',
      '--format',
      'markdown',
    ],
    cwd: 'examples/check',
  },
  'explain-envoy': { argv: ['explain', "jwt_authn_access_denied{Jwks_doesn't_have_key_to_match_kid_or_alg_from_Jwt}"] },
  'explain-json': {
    argv: [
      'explain',
      "IDX10214: Audience validation failed. Audiences: 'web-staging'. Did not match: validationParameters.ValidAudience: 'web-prod' or validationParameters.ValidAudiences: 'null'.",
      '--format',
      'json',
    ],
  },
  'explain-header': {
    argv: [
      'explain',
      'WWW-Authenticate: Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Jwt expired at 2026-11-28T12:00:00Z"',
    ],
  },
  'explain-unknown': { argv: ['explain', 'upstream connect error or disconnect/reset before headers'] },
  'mint-json': {
    argv: [
      'mint',
      '--contract',
      'auth-contract.yaml',
      '--env',
      'staging',
      '--signer-key',
      'keys/staging-signer.private.pem',
      '--kid',
      'staging-2026-11',
      '--now',
      '2026-11-28T12:05:00Z',
      '--jti',
      '7d1c4f2e',
      '--format',
      'json',
    ],
    cwd: 'examples',
  },
  'runbook-staging': { argv: ['runbook', '--env', 'staging', ...C] },
  'mint-fault': {
    argv: [
      'mint',
      '--contract',
      'auth-contract.yaml',
      '--env',
      'staging',
      '--signer-key',
      'keys/staging-signer.private.pem',
      '--kid',
      'staging-2026-11',
      '--now',
      '2026-11-28T12:05:00Z',
      '--jti',
      '7d1c4f2e',
      '--fault',
      'issuer_mismatch',
      '--format',
      'json',
    ],
    cwd: 'examples',
  },
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const runs = new Map<string, Promise<Run>>();
let running = 0;
const waiting: (() => void)[] = [];
/** At most this many CLI processes at once: the machine has 2 cores, shared. */
const MAX_RUNNING = 3;

/**
 * Runs `jwt-doctor ARGV` from the sources (as `npm start` runs the build),
 * without colour; each distinct run once per process (the outputs are
 * deterministic: fixed --now, local files).
 */
export function runCli(argv: string[], cwd = ''): Promise<Run> {
  const key = JSON.stringify([cwd, argv]);
  let run = runs.get(key);
  if (!run) {
    run = limited(() => spawnCli(argv, cwd));
    runs.set(key, run);
  }
  return run;
}

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(argv: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...argv],
      {
        cwd: join(root, cwd),
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        timeout: 120_000,
        maxBuffer: 16 << 20,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr }),
    );
  });
}

/** An argument as a reader pastes it into a POSIX shell: quoted when it holds anything but safe characters. */
const shellWord = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** A doc shows exit 0 (valid, pass) and 1 (the token or system fails); anything else is a broken example. */
async function renderOutput(name: string): Promise<string> {
  const spec = OUTPUTS[name];
  if (!spec) throw new Error(`a doc names an unknown output block "${name}" (scripts/docs.ts OUTPUTS)`);
  const r = await runCli(spec.argv, spec.cwd);
  if (r.code !== 0 && r.code !== 1)
    throw new Error(`output block "${name}": jwt-doctor ${spec.argv.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  const exit = r.code === 0 ? '' : `(exit ${r.code})\n`;
  return `\`\`\`console\n$ jwt-doctor ${spec.argv.map(shellWord).join(' ')}\n${r.stdout.trimEnd()}\n${exit}\`\`\`\n`;
}

async function renderHelp(argv: string[]): Promise<string> {
  const r = await runCli([...argv, '--help']);
  if (r.code !== 0) throw new Error(`jwt-doctor ${argv.join(' ')} --help exited ${r.code}: ${r.stderr.trim()}`);
  return `\`\`\`console\n$ jwt-doctor ${[...argv, '--help'].join(' ')}\n${r.stdout.trimEnd()}\n\`\`\`\n`;
}

/** The `name  summary` rows of a commander help text's "Commands:" section, without `help`. */
export function parseCommandList(help: string): { name: string; summary: string }[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Commands:');
  const rows: { name: string; summary: string }[] = [];
  if (start < 0) return rows;
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    const m = /^ {2}(\S+)(?: \[options\])?(?: +(?:<[^>]+>|\[[^\]]+\]))*\s{2,}(.*)$/.exec(line);
    if (m) rows.push({ name: m[1]!, summary: m[2]!.trim() });
    else if (/^ {3,}\S/.test(line) && rows.length > 0) rows[rows.length - 1]!.summary += ` ${line.trim()}`;
  }
  return rows.filter((r) => r.name !== 'help');
}

/** Every command and its subcommands, read from the CLI's own help (so new commands appear by themselves). */
export async function listCommands(): Promise<{ name: string; summary: string; subcommands: string[] }[]> {
  const top = parseCommandList((await runCli(['--help'])).stdout);
  return Promise.all(
    top.map(async ({ name, summary }) => ({
      name,
      summary,
      subcommands: parseCommandList((await runCli([name, '--help'])).stdout).map((s) => s.name),
    })),
  );
}

function commandIndex(commands: { name: string; summary: string }[], fromDir: string): string {
  const rows = ['| command | what it does |', '|---|---|'];
  for (const c of commands)
    rows.push(`| [\`${c.name}\`](${relative(fromDir, join(root, 'docs/cli', `${c.name}.md`))}) | ${c.summary.replace(/\|/g, '\\|')} |`);
  return rows.join('\n') + '\n';
}

const BLOCK = /(<!-- begin:(out|help) ([\w -]+?) -->\n)[\s\S]*?(<!-- end:\2 \3 -->)/g;

/** One markdown file with every generated block rendered. */
export async function renderMarkdown(text: string, file: string, commands: { name: string; summary: string }[]): Promise<string> {
  const jobs = [...text.matchAll(BLOCK)].map((m) => ({ kind: m[2]!, name: m[3]! }));
  const rendered = await Promise.all(jobs.map((j) => (j.kind === 'out' ? renderOutput(j.name) : renderHelp(j.name.split(' ')))));
  let i = 0;
  let out = text.replace(BLOCK, (_m, open: string, _kind: string, _name: string, close: string) => `${open}${rendered[i++]}${close}`);
  const simple: Record<string, () => string> = {
    'reason-table': reasonTable,
    'category-order': categoryOrder,
    'forensic-causes': forensicCauseTable,
    'contract-fields': contractFieldTable,
    'explain-table': explainTable,
    commands: () => commandIndex(commands, join(root, file, '..')),
  };
  for (const [name, render] of Object.entries(simple)) {
    out = out.replace(
      new RegExp(`(<!-- begin:${name} -->\\n)[\\s\\S]*?(<!-- end:${name} -->)`, 'g'),
      (_m, open: string, close: string) => `${open}${render()}${close}`,
    );
  }
  return out;
}

/** README.md and every docs/**\/*.md, relative to the root. */
export function docFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else if (e.name.endsWith('.md')) files.push(`${dir}/${e.name}`);
    }
  };
  walk('docs');
  return files;
}

/** The page a new command starts with: its help, to be completed by hand with examples. */
function commandStub(name: string, summary: string, subcommands: string[]): string {
  const helps = [name, ...subcommands.map((s) => `${name} ${s}`)].map((h) => `<!-- begin:help ${h} -->\n<!-- end:help ${h} -->\n`);
  return `# \`jwt-doctor ${name}\`\n\n${summary[0]!.toUpperCase()}${summary.slice(1)}.\n\n## Options (\`--help\`)\n\n${helps.join('\n')}`;
}

/** A generated file (path relative to the root): its current and its rendered text. */
export interface Rendered {
  file: string;
  /** Its text now, undefined when it does not exist yet. */
  current: string | undefined;
  next: string;
}

export async function renderAll(): Promise<Rendered[]> {
  const commands = await listCommands();
  const files = docFiles();
  const stubs = commands.filter((c) => !files.includes(`docs/cli/${c.name}.md`));
  const rendered: Rendered[] = await Promise.all([
    ...stubs.map(async (c): Promise<Rendered> => {
      const file = `docs/cli/${c.name}.md`;
      return { file, current: undefined, next: await renderMarkdown(commandStub(c.name, c.summary, c.subcommands), file, commands) };
    }),
    ...files.map(async (file): Promise<Rendered> => {
      const current = readFileSync(join(root, file), 'utf8');
      return { file, current, next: await renderMarkdown(current, file, commands) };
    }),
  ]);
  const schemaPath = join(root, SCHEMA_FILE);
  rendered.push({
    file: SCHEMA_FILE,
    current: existsSync(schemaPath) ? readFileSync(schemaPath, 'utf8') : undefined,
    next: contractJsonSchema(),
  });
  return rendered;
}

if (process.argv[1] && /scripts[\\/](docs|readme)\.ts$/.test(process.argv[1])) {
  const all = await renderAll();
  const stale = all.filter((f) => f.current !== f.next);
  if (process.argv.includes('--write')) {
    for (const f of stale) {
      mkdirSync(join(root, f.file, '..'), { recursive: true });
      writeFileSync(join(root, f.file), f.next);
    }
    process.stdout.write(stale.length ? `refreshed: ${stale.map((f) => f.file).join(', ')}\n` : 'docs are current\n');
  } else if (stale.length) {
    process.stderr.write(`stale: ${stale.map((f) => f.file).join(', ')}: run node --import tsx scripts/docs.ts --write\n`);
    process.exitCode = 1;
  }
}
