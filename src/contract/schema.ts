/**
 * The auth contract's JSON Schema (draft 2020-12 subset, validated with
 * ajv). One place for every field name; README's contract reference
 * follows it. The sections front ends read (api, clients, policy,
 * tokenSource, verifier) are objects here; their inner fields are parsed
 * once, with the same error shape, in src/contract/sections.ts and
 * src/contract/api_section.ts.
 */
import { ALGORITHM_NAMES } from '../keys/algorithms.ts';

const stringOrList = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] };
const seconds = { type: 'number', minimum: 0 };
const encoding = { enum: ['utf8', 'base64', 'base64url', 'hex'] };
const owners = {
  type: 'object',
  additionalProperties: false,
  properties: { signer: { type: 'string' }, verifier: { type: 'string' }, secrets: { type: 'string' }, gateway: { type: 'string' }, client: { type: 'string' } },
};

// Key URLs follow no redirect by default (as jose's remote JWKS); a source may opt into
// same-origin ones. There is no value for another origin (docs/security.md).
const redirects = { enum: ['none', 'same-origin'] };

const keySpec = {
  type: 'object',
  description: 'one key source',
  oneOf: [
    { required: ['jwksFile'], properties: { jwksFile: { type: 'string', minLength: 1 } }, additionalProperties: false },
    { required: ['jwksUri'], properties: { jwksUri: { type: 'string', pattern: '^https?://' }, timeoutMs: { type: 'integer', minimum: 1 }, redirects }, additionalProperties: false },
    { required: ['discovery'], properties: { discovery: { anyOf: [{ type: 'string', pattern: '^https?://' }, { const: true }] }, timeoutMs: { type: 'integer', minimum: 1 }, redirects }, additionalProperties: false },
    { required: ['pem'], properties: { pem: { type: 'string', minLength: 1 }, kid: { type: 'string' }, alg: { type: 'string' } }, additionalProperties: false },
    { required: ['jwk'], properties: { jwk: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] } }, additionalProperties: false },
    {
      required: ['secret'],
      properties: {
        secret: {
          anyOf: [
            { type: 'string', minLength: 1 },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: { value: { type: 'string' }, env: { type: 'string', minLength: 1 }, file: { type: 'string', minLength: 1 }, encoding },
            },
          ],
        },
        kid: { type: 'string' },
        alg: { type: 'string', pattern: '^HS(256|384|512)$' },
      },
      additionalProperties: false,
    },
  ],
};

const claimExpectation = {
  anyOf: [
    { type: ['string', 'number', 'boolean'] },
    { type: 'object', required: ['equals'], properties: { equals: {} }, additionalProperties: false },
    { type: 'object', required: ['oneOf'], properties: { oneOf: { type: 'array' } }, additionalProperties: false },
    { type: 'object', required: ['includes'], properties: { includes: stringOrList }, additionalProperties: false },
  ],
};

export const environmentSchema = {
  type: 'object',
  additionalProperties: false,
  patternProperties: { '^x-': {} },
  properties: {
    description: { type: 'string' },
    issuer: stringOrList,
    audience: stringOrList,
    // The one algorithm table (src/keys/algorithms.ts): a new algorithm there is accepted here.
    algorithms: { type: 'array', items: { enum: ALGORITHM_NAMES }, minItems: 1 },
    typ: { type: 'string', minLength: 1 },
    requiredClaims: { type: 'array', items: { type: 'string', minLength: 1 } },
    claims: { type: 'object', additionalProperties: claimExpectation },
    clockToleranceSeconds: seconds,
    maxTokenAgeSeconds: seconds,
    skewWindowSeconds: seconds,
    maxTokenBytes: { type: 'integer', minimum: 64 },
    keys: { type: 'array', items: keySpec },
    owners,
    production: { type: 'boolean' },
    // Sections front ends read (parsed in sections.ts / api_section.ts).
    api: { type: 'object' },
    clients: { type: 'object' },
    policy: { type: 'object' },
    tokenSource: { type: 'object' },
    verifier: { type: 'object' },
    issuerBaseUrl: { type: 'string', pattern: '^https?://' },
  },
};

export const contractSchema = {
  type: 'object',
  additionalProperties: false,
  patternProperties: { '^x-': {} },
  required: ['environments'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1 },
    owners,
    defaults: { ...environmentSchema, properties: { ...environmentSchema.properties } },
    environments: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
      additionalProperties: environmentSchema,
    },
  },
};
