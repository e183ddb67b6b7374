import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { Expectations, Owners } from '../expectations.ts';
import { validate as generatedValidator } from './validate_contract.generated.ts';
import { ContractError } from '../errors.ts';

export { DEFAULT_CONTRACT_FILE } from '../defaults.ts';

/** A loaded, validated contract: environments already normalized into Expectations. */
export interface Contract {
  version: 1;
  /** The file it came from, when loaded from a file. */
  path?: string;
  /** Folder relative key paths resolve against. */
  baseDir: string;
  owners: Owners;
  environments: Record<string, Expectations>;
  /** The document as written (after ${VAR} substitution), for commands that read extra sections. */
  raw: Record<string, unknown>;
}

// ContractError lives in the one error hierarchy (src/errors.ts); re-exported
// here, where every contract reader has always imported it from.
export { ContractError };

// yaml is required on the first contract load, not at import: `jwt-doctor
// decode` and library users who pass expectations directly never pay for it.
// It is CommonJS, so a synchronous require keeps loadContract synchronous.
// The built package carries it as one bundled file (scripts/build.mjs defines
// JWT_DOCTOR_BUNDLED_YAML): one file to read instead of about 60, a third of
// `diagnose --contract`'s startup. From the sources (tsx) it is the yaml package.
declare const JWT_DOCTOR_BUNDLED_YAML: string | undefined;
const YAML_MODULE = typeof JWT_DOCTOR_BUNDLED_YAML === 'string' ? JWT_DOCTOR_BUNDLED_YAML : 'yaml';
const requireDependency = createRequire(import.meta.url);
const yaml = (): typeof import('yaml') => requireDependency(YAML_MODULE) as typeof import('yaml');

/** Every document of a YAML (or JSON) text, each with its parse errors (contract import reads verifier configs with it). */
export function parseYamlDocuments(text: string): { errors: string[]; value: () => unknown }[] {
  const docs = yaml().parseAllDocuments(text, { uniqueKeys: false });
  return (Array.isArray(docs) ? docs : [docs]).map((d) => ({
    errors: d.errors.map((e) => e.message),
    value: () => d.toJS({ maxAliasCount: 100 }),
  }));
}

/** YAML text of a plain JSON value, lines never wrapped. */
export function stringifyYaml(value: unknown): string {
  return yaml().stringify(value, { lineWidth: 0 });
}

// The schema (schema.ts) is compiled by ajv at build time
// (scripts/make-contract-validator.ts): no ajv and no schema compilation at run time.
const validateContract: ((doc: unknown) => boolean) & { errors?: ErrorObject[] | null } = generatedValidator;
function validate(doc: unknown): ErrorObject[] {
  return validateContract(doc) ? [] : (validateContract.errors ?? []);
}

export interface LoadContractOptions {
  /** Variables for ${VAR} substitution (default process.env). */
  vars?: Record<string, string | undefined>;
  /** For an object contract: folder for relative key paths (default cwd). */
  baseDir?: string;
}

/**
 * Loads and validates an auth contract from a YAML/JSON file or an object.
 * `${VAR}` and `${VAR:-default}` in string values are substituted; an
 * unset variable without a default is a contract error.
 *
 * @example const contract = loadContract('auth-contract.yaml'); contract.environments.staging.issuer
 */
export function loadContract(pathOrObject: string | Record<string, unknown>, options: LoadContractOptions = {}): Contract {
  let file = '(object)';
  let doc: unknown;
  let baseDir = options.baseDir ?? process.cwd();
  if (typeof pathOrObject === 'string') {
    file = pathOrObject;
    const full = resolve(pathOrObject);
    baseDir = dirname(full);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ContractError(file, '', 'a readable contract file (YAML or JSON)', code === 'ENOENT' ? 'no such file' : String(code ?? e));
    }
    // prettyErrors computes linePos, so the error can name the line.
    const parsed = yaml().parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (parsed.errors.length > 0) {
      const err = parsed.errors[0]!;
      const line = err.linePos?.[0];
      throw new ContractError(
        file,
        line ? `line ${line.line}, column ${line.col}` : '',
        'valid YAML or JSON',
        err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      );
    }
    doc = parsed.toJS();
  } else {
    doc = structuredClone(pathOrObject);
  }
  doc = substitute(doc, '', file, options.vars ?? process.env);
  const errors = validate(doc);
  if (errors.length > 0) throw toContractError(file, pickError(errors), doc);
  const c = doc as { owners?: Owners; defaults?: Record<string, unknown>; environments: Record<string, Record<string, unknown>> };
  const environments: Record<string, Expectations> = {};
  for (const [name, env] of Object.entries(c.environments)) {
    environments[name] = normalizeEnvironment(name, { ...(c.defaults ?? {}), ...env }, c.owners ?? {});
  }
  const out: Contract = { version: 1, baseDir, owners: c.owners ?? {}, environments, raw: doc as Record<string, unknown> };
  if (typeof pathOrObject === 'string') out.path = resolve(pathOrObject);
  return out;
}

/**
 * An environment whose HMAC secret is read from an unset (or empty)
 * variable (`secret: { env: NAME }`) cannot verify anything: a contract
 * error naming the variable and the field path, raised when that
 * environment is used (an unset secret of another environment does not
 * stop a diagnosis of this one).
 *
 * @example assertSecretVariablesSet(contract, 'local') // throws ContractError when JWT_SECRET is unset
 */
export function assertSecretVariablesSet(
  contract: Contract,
  envName: string,
  vars: Record<string, string | undefined> = process.env,
): void {
  const raw = contract.raw as { defaults?: { keys?: unknown }; environments?: Record<string, { keys?: unknown }> };
  const own = raw.environments?.[envName]?.keys;
  const [keys, base] = own !== undefined ? [own, `environments.${envName}.keys`] : [raw.defaults?.keys, 'defaults.keys'];
  if (!Array.isArray(keys)) return;
  keys.forEach((k, i) => {
    const secret = (k as { secret?: unknown } | null)?.secret;
    const name = secret !== null && typeof secret === 'object' ? (secret as { env?: unknown }).env : undefined;
    if (typeof name !== 'string') return;
    const value = vars[name];
    if (value !== undefined && value !== '') return;
    throw new ContractError(
      contract.path ?? '(object)',
      `${base}[${i}].secret.env`,
      `environment variable ${name} to be set (it holds the HMAC secret of environment ${envName})`,
      value === '' ? 'it is empty' : 'it is not set',
    );
  });
}

function normalizeEnvironment(name: string, env: Record<string, unknown>, owners: Owners): Expectations {
  const list = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? (v as string[]) : [v as string]);
  const out: Expectations = { ...env, name };
  const iss = list(env.issuer);
  const aud = list(env.audience);
  if (iss) out.issuer = iss;
  if (aud) out.audience = aud;
  out.owners = { ...owners, ...((env.owners as Owners | undefined) ?? {}) };
  return out;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function substitute(v: unknown, path: string, file: string, vars: Record<string, string | undefined>): unknown {
  if (typeof v === 'string') {
    return v.replace(VAR, (_m, name: string, def: string | undefined) => {
      const val = vars[name];
      if (val !== undefined && val !== '') return val;
      if (def !== undefined) return def;
      throw new ContractError(file, path, `environment variable ${name} to be set (or a default: \${${name}:-value})`, 'it is not set');
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => substitute(x, `${path}[${i}]`, file, vars));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, path ? `${path}.${k}` : k, file, vars);
    return out;
  }
  return v;
}

/** The most specific error: the deepest path, preferring non-oneOf noise. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const score = (e: ErrorObject) =>
    e.instancePath.split('/').length * 10 -
    (['oneOf', 'anyOf', 'if'].includes(e.keyword) ? 5 : 0) +
    (e.keyword === 'additionalProperties' ? 3 : 0);
  return [...errors].sort((a, b) => score(b) - score(a))[0]!;
}

function toContractError(file: string, e: ErrorObject, doc: unknown): ContractError {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = segments
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
  let found: unknown = doc;
  for (const s of segments) found = (found as Record<string, unknown> | undefined)?.[s];
  const p = e.params as Record<string, unknown>;
  let expected: string;
  switch (e.keyword) {
    case 'additionalProperties':
      path = path ? `${path}.${String(p.additionalProperty)}` : String(p.additionalProperty);
      return new ContractError(
        file,
        path,
        'a known field (see the contract reference in README)',
        `unknown field "${String(p.additionalProperty)}"`,
      );
    case 'required':
      return new ContractError(
        file,
        path ? `${path}.${String(p.missingProperty)}` : String(p.missingProperty),
        'this field',
        'it is missing',
      );
    case 'enum':
      expected = `one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
      break;
    case 'const':
      expected = JSON.stringify(p.allowedValue);
      break;
    case 'type':
      expected = SECRET_REF.test(path) && p.type === 'object' ? SECRET_REF_EXPECTED : `a ${String(p.type)}`;
      break;
    case 'oneOf':
    case 'anyOf':
      expected = oneOfExpected(path);
      break;
    case 'pattern':
      expected = `a value matching ${String(p.pattern)}`;
      break;
    default:
      expected = e.message ?? e.keyword;
  }
  // Never echo secret material back in an error.
  // A URL with credentials in it (redis://:password@host) is secret material wherever it appears.
  const secretish =
    /secret|value|password|token|static|privateKey|\bk\b|\.d$/i.test(path) ||
    (found !== null && typeof found === 'object' && 'secret' in (found as object)) ||
    (typeof found === 'string' && /:\/\/[^/@\s]*@/.test(found));
  return new ContractError(file, path, expected, secretish ? '(a value not shown: it may hold a secret)' : describe(found));
}

// Fields read through a variable or a file (src/contract/secret_ref.ts), never written in the contract.
const SECRET_REF = /(clientSecret|\.token|\.static|signer\.secret|signer\.privateKey)$/;
const SECRET_REF_EXPECTED = '{ env: VAR } or { file: PATH } (a variable or a file holding it, never the value itself)';

function oneOfExpected(path: string): string {
  if (/\.keys\[\d+\]/.test(path) || path.endsWith('keys'))
    return 'one key source: jwksFile, jwksUri, discovery, pem, jwk or secret (with its own options only)';
  if (SECRET_REF.test(path)) return SECRET_REF_EXPECTED;
  if (path.endsWith('signer')) return 'either privateKey or secret (one of them), each { env: VAR } or { file: PATH }, with kid and alg';
  if (path.endsWith('obtain'))
    return 'one token source: clientCredentials, refreshToken, command, static or mint (with its own options only)';
  if (path.endsWith('obtain.mint')) return 'true, or { fault, lifetimeSeconds, claims }';
  return 'a string or a list of strings';
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
