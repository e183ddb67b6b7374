/**
 * Keeps README's example outputs real: each block between
 * `<!-- begin:out NAME -->` and `<!-- end:out NAME -->` is the actual output
 * of the command listed here, run from the repository root, and the
 * reason-code table is generated from the registry.
 *
 *   node --import tsx scripts/readme.ts --write   # refresh README.md
 *   node --import tsx scripts/readme.ts --check   # exit 1 when README is stale (test/readme.test.ts)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reasonTable } from './reason-table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const C = ['--contract', 'examples/auth-contract.yaml'];
const NOW = ['--now', '2026-11-28T12:05:00Z'];

/** name -> argv of `jwt-doctor` (run through tsx) */
export const OUTPUTS: Record<string, string[]> = {
  demo: ['demo'],
  decode: ['decode', 'examples/tokens/local-login.jwt', ...NOW],
  'diagnose-staging': ['diagnose', 'examples/tokens/local-login.jwt', ...C, '--env', 'staging', ...NOW],
  'diagnose-encoding': ['diagnose', 'examples/tokens/local-hs256.jwt', ...C, '--env', 'local', ...NOW],
  'diagnose-json': ['diagnose', 'examples/tokens/local-login.jwt', ...C, '--env', 'staging', ...NOW, '--format', 'json', '--sanitize'],
  'diagnose-markdown': ['diagnose', 'examples/tokens/local-login.jwt', ...C, '--env', 'prod', '--now', '2026-11-28T13:00:04Z', '--format', 'markdown', '--sanitize'],
  'diagnose-inline': ['diagnose', 'examples/tokens/local-login.jwt', '--iss', 'https://auth.staging.example.com/', '--aud', 'web', '--key', 'examples/keys/staging.jwks.json', '--typ', 'at+jwt', ...NOW],
  match: ['match', 'examples/tokens/local-login.jwt', ...C, ...NOW],
};

export function runCli(argv: string[]): string {
  try {
    return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  } catch (e) {
    // Exit code 1 (the token fails) is an expected, documented outcome.
    const err = e as { status?: number; stdout?: string };
    if (err.status === 1 && typeof err.stdout === 'string') return err.stdout;
    throw e;
  }
}

export function renderReadme(text: string): string {
  let out = text.replace(/(<!-- begin:out ([\w-]+) -->\n)[\s\S]*?(<!-- end:out \2 -->)/g, (_m, open: string, name: string, close: string) => {
    const argv = OUTPUTS[name];
    if (!argv) throw new Error(`README names an unknown output block "${name}"`);
    return `${open}\`\`\`console\n$ jwt-doctor ${argv.join(' ')}\n${runCli(argv).trimEnd()}\n\`\`\`\n${close}`;
  });
  out = out.replace(/(<!-- begin:reason-table -->\n)[\s\S]*?(<!-- end:reason-table -->)/, (_m, open: string, close: string) => `${open}${reasonTable()}${close}`);
  return out;
}

if (process.argv[1] && /scripts[\\/]readme\.ts$/.test(process.argv[1])) {
  const path = `${root}/README.md`;
  const current = readFileSync(path, 'utf8');
  const next = renderReadme(current);
  if (process.argv.includes('--write')) {
    writeFileSync(path, next);
    process.stdout.write('README.md refreshed\n');
  } else if (current !== next) {
    process.stderr.write('README.md is stale: run node --import tsx scripts/readme.ts --write\n');
    process.exitCode = 1;
  }
}
