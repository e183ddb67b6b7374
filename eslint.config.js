// ESLint flat config (issue 10 item 8): typescript-eslint's recommended
// rules, short functions in src/, and the layering of DESIGN.md as import
// rules per directory. The layering rules mirror test/architecture.test.ts,
// which stays the authority: it follows imports transitively (and dynamic
// `import()`), where a lint rule sees one file's direct static imports. The
// lint rule gives the earlier, local message in the editor.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node built-ins and packages that do I/O (test/architecture.test.ts IO_BUILTINS). */
const IO_MODULES = '^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|dns/promises|child_process)$|^undici(/|$)';
/** A relative specifier into one of src/'s front ends (FRONT_END in the architecture test), from src/ or one level below. */
const intoSrcDir = (dirs) => `^(\\./|(\\.\\./)+)(${dirs.join('|')})(/|$)`;
const FRONT_ENDS = ['cli', 'middleware', 'probe', 'rotation', 'triage', 'check', 'web', 'ui'];

/** No module outside src/cli/ imports src/cli/, not even for a type: front ends share code through lower layers. */
const NO_CLI = {
  regex: intoSrcDir(['cli']),
  message: 'Only src/cli/ imports src/cli/: move what is shared to a lower layer (DESIGN.md layering, test/architecture.test.ts).',
};

/** The pure core does no I/O (type imports are erased, so they are allowed) and depends on no front end. */
const CORE_RULES = [
  {
    regex: IO_MODULES,
    allowTypeImports: true,
    message: 'The pure core does no I/O: take the data as an argument (DESIGN.md, test/architecture.test.ts).',
  },
  {
    regex: `${intoSrcDir(['net'])}|(^|/)keys/sources(\\.[jt]s)?$|^\\./sources(\\.[jt]s)?$`,
    allowTypeImports: true,
    message: 'The pure core does no I/O: src/net/ and src/keys/sources.ts load over the network or the file system (DESIGN.md).',
  },
  {
    regex: intoSrcDir(FRONT_ENDS),
    message: 'The pure core imports no front end, not even a type: move the shared piece down a layer (DESIGN.md).',
  },
];

/** The pure core of DESIGN.md (CORE in test/architecture.test.ts). */
const CORE_FILES = [
  'src/token/**/*.ts',
  'src/checks/**/*.ts',
  'src/keys/algorithms.ts',
  'src/keys/import.ts',
  'src/keys/trust.ts',
  'src/keys/roca.ts',
  'src/reasons.ts',
  'src/report/**/*.ts',
  'src/diagnose.ts',
  'src/diagnose/plan_header.ts',
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'docs/',
      'api/',
      'node_modules/',
      'bench/.out/',
      'src/contract/validate_contract.generated.ts',
      'test/probe/fixtures/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A `let` that a closure declared above reads before its one assignment (a timer the
      // settle function clears) cannot be const: the closure may run first.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_name` marks a parameter or binding kept for its position or shape (the compiler's noUnused* agree).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // STYLE.md: a function reads top to bottom on one screen; issue 10: none over 80 lines.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_CLI] }],
    },
  },
  {
    files: CORE_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_CLI, ...CORE_RULES] }],
    },
  },
  {
    // The CLI may import itself.
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
