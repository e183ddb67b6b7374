/**
 * The contract reference, from the schema itself (src/contract/schema.ts):
 * docs/contract.md's field table from every field's `description`, and the
 * published JSON Schema file (schema/auth-contract.schema.json) that editors
 * use to validate auth-contract.yaml. scripts/docs.ts writes and checks both.
 */
import { contractSchema, environmentSchema } from '../src/contract/schema.ts';

type Schema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  pattern?: string;
  minimum?: number;
  patternProperties?: Record<string, Schema>;
};

/** The schema modules are plain object literals; read them through this shape. */
const schemaOf = (literal: unknown): Schema => literal as Schema;

/** A field's type in words, read from its schema. */
export function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return types.join(' or ');
  switch (types[0]) {
    case 'array':
      return s.items ? `list of ${typeOf(s.items)}` : 'list';
    case 'string':
      return s.pattern === '^https?://' ? 'http(s) URL' : s.pattern ? `string matching \`${s.pattern}\`` : 'string';
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? `${types[0]} >= ${s.minimum}` : types[0]!;
    case 'object':
      return 'object';
    case undefined:
      return 'any JSON value';
    default:
      return types[0]!;
  }
}

function need(path: string, s: Schema): string {
  if (!s.description)
    throw new Error(`src/contract/schema.ts: the field ${path} has no description: add one (docs/contract.md is generated from them)`);
  return s.description.replace(/\|/g, '\\|');
}

function row(path: string, s: Schema): string {
  return `| \`${path}\` | ${typeOf(s).replace(/\|/g, '\\|')} | ${need(path, s)} |`;
}

/** The markdown table of every contract field: top level, environment, key sources, claim expectations. */
export function contractFieldTable(): string {
  const rows = ['| field | type | meaning |', '|---|---|---|'];
  const contract = schemaOf(contractSchema);
  const top = contract.properties ?? {};
  for (const [name, s] of Object.entries(top)) rows.push(row(name, s));
  const owners = top.owners?.properties ?? {};
  for (const [name, s] of Object.entries(owners)) rows.push(row(`owners.${name}`, s));
  const env = schemaOf(environmentSchema).properties ?? {};
  for (const [name, s] of Object.entries(env)) rows.push(row(`environments.<name>.${name}`, s));
  const keyVariants = env.keys?.items?.oneOf ?? [];
  for (const variant of keyVariants) {
    const [main] = variant.required ?? [];
    for (const [name, s] of Object.entries(variant.properties ?? {})) {
      rows.push(row(name === main ? `keys[].${name}` : `keys[].${name} (with ${main})`, s));
      const inner = s.anyOf?.find((a) => a.properties)?.properties;
      for (const [innerName, innerSchema] of Object.entries(inner ?? {})) rows.push(row(`keys[].${name}.${innerName}`, innerSchema));
    }
  }
  const claims = env.claims?.additionalProperties;
  for (const form of typeof claims === 'object' ? (claims.anyOf ?? []) : []) {
    const [name] = form.required ?? [];
    if (name) rows.push(row(`claims.<claim>.${name}`, form.properties![name]!));
    else rows.push(row('claims.<claim>', form));
  }
  rows.push(row('x-*', contract.patternProperties?.['^x-'] ?? {}));
  return rows.join('\n') + '\n';
}

/** Where editors fetch the published schema (the npm package's copy, served by unpkg). */
export const SCHEMA_URL = 'https://unpkg.com/jwt-doctor/schema/auth-contract.schema.json';

/**
 * schema/auth-contract.schema.json: the schema the loader validates with, plus its identity.
 * Declared draft-07: the dialect of ajv's default class (the one the loader compiles with), whose
 * keywords this schema keeps to, and the one YAML language servers support fully.
 */
export function contractJsonSchema(): string {
  const doc = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_URL,
    title: 'jwt-doctor auth contract (auth-contract.yaml)',
    ...contractSchema,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
