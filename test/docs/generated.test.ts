/**
 * README.md and docs/ are generated from the code where they show what it
 * does (scripts/docs.ts), and complete: every command has its page, every
 * reason code its row, every console block its generation markers, every
 * contract example passes the published schema, every link resolves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { docFiles, listCommands, renderAll, SCHEMA_FILE } from '../../scripts/docs.ts';
import { REASONS } from '../../src/reasons.ts';
import { brokenLinks, fences, root } from './markdown.ts';

const read = (file: string) => readFileSync(join(root, file), 'utf8');

test('README.md, docs/ and the contract schema file are current (run node --import tsx scripts/docs.ts --write)', async () => {
  const stale = (await renderAll()).filter((f) => f.current !== f.next).map((f) => f.file);
  assert.deepEqual(stale, [], 'stale: run node --import tsx scripts/docs.ts --write');
});

test('every command and subcommand has its page in docs/cli/ with its generated --help', async () => {
  const commands = await listCommands();
  assert.ok(commands.length >= 10, `jwt-doctor --help lists ${commands.length} commands`);
  for (const c of commands) {
    const page = read(`docs/cli/${c.name}.md`);
    for (const argv of [c.name, ...c.subcommands.map((s) => `${c.name} ${s}`)]) {
      assert.ok(page.includes(`<!-- begin:help ${argv} -->`), `docs/cli/${c.name}.md lacks the help block of "jwt-doctor ${argv}"`);
    }
  }
  const pages = docFiles().filter((f) => f.startsWith('docs/cli/') && f !== 'docs/cli/README.md');
  const names = new Set(commands.map((c) => `docs/cli/${c.name}.md`));
  assert.deepEqual(pages.filter((p) => !names.has(p)), [], 'pages of commands that no longer exist');
});

test('every reason code of the registry is documented in docs/reason-codes.md', () => {
  const doc = read('docs/reason-codes.md');
  for (const code of Object.keys(REASONS)) assert.ok(doc.includes(`| \`${code}\` |`), `docs/reason-codes.md lacks ${code}`);
});

test('every console block is between generation markers (recorded transcripts are ```text)', () => {
  for (const file of docFiles()) {
    const text = read(file);
    const lines = text.split('\n');
    for (const f of fences(text).filter((x) => x.info === 'console')) {
      const before = lines.slice(0, f.line - 1).reverse().find((l) => l.trim() !== '');
      assert.match(before ?? '', /^<!-- begin:(out|help) /, `${file}:${f.line}: a console block outside generation markers`);
    }
  }
});

test('the published JSON Schema accepts the bundled contract and every documented contract (yaml-language-server line + version), and rejects a broken one', () => {
  const schema = JSON.parse(read(SCHEMA_FILE)) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(parseYaml(read('examples/auth-contract.yaml'))), JSON.stringify(validate.errors));
  let documented = 0;
  for (const file of docFiles()) {
    for (const f of fences(read(file)).filter((x) => x.info === 'yaml' && x.body.startsWith('# yaml-language-server: $schema=') && /^version: /m.test(x.body))) {
      documented++;
      assert.ok(validate(parseYaml(f.body)), `${file}:${f.line}: ${JSON.stringify(validate.errors)}`);
    }
  }
  assert.ok(documented >= 1, 'docs/contract.md shows a contract with the yaml-language-server line');
  assert.equal(validate({ version: 1, environments: { staging: { keys: [{ jwksUrl: 'https://x' }] } } }), false);
  const pkg = JSON.parse(read('package.json')) as { files: string[] };
  assert.ok(pkg.files.includes(SCHEMA_FILE.split('/')[0]!), 'package.json files ships the schema');
});

test('every relative link in docs/ resolves to a file (and heading)', () => {
  assert.deepEqual(docFiles().flatMap(brokenLinks), []);
});
