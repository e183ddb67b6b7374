/**
 * The auth contract's JSON Schema (draft 2020-12 subset, validated with
 * ajv). One place for every field name: docs/contract.md's field table
 * and schema/auth-contract.schema.json are generated from it (scripts/docs.ts),
 * so every field carries a `description`. Sections that later front ends own (api, clients, policy,
 * tokenSource, verifier) are objects whose inner fields those front ends
 * parse once, with the same error shape, in src/contract/sections.ts and
 * src/contract/api_section.ts.
 */
import { ALGORITHM_NAMES } from '../keys/algorithms.ts';
import { MINTABLE_FAULT_CODES } from '../mint/faults.ts';
import { PROVIDER_NAMES } from '../providers/profile.ts';

const stringOrList = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
  ],
};
const seconds = { type: 'number', minimum: 0 };
const timeoutMs = { type: 'integer', minimum: 1, description: 'fetch timeout in ms (default 5000)' };
const encoding = { enum: ['utf8', 'base64', 'base64url', 'hex'], description: 'how the secret text becomes key bytes (default utf8)' };
const owners = {
  type: 'object',
  description: "teams shown next to each finding's owner role (top level, or per environment to override it)",
  additionalProperties: false,
  properties: {
    signer: { type: 'string', description: 'team that mints the tokens (identity provider)' },
    verifier: { type: 'string', description: "team that runs the API's verifier" },
    secrets: { type: 'string', description: 'team that manages keys and secrets' },
    gateway: { type: 'string', description: 'team that runs the proxies and gateways in front of the API' },
    client: { type: 'string', description: 'team that writes the client sending the token' },
  },
};

// Key URLs follow no redirect by default (as jose's remote JWKS); a source may opt into
// same-origin ones. There is no value for another origin (docs/security.md).
const redirects = {
  enum: ['none', 'same-origin'],
  description: 'redirects followed: none (default), or same-origin (at most 5 hops; never another origin, never https to http)',
};

const keySpec = {
  type: 'object',
  description: 'one key source',
  oneOf: [
    {
      required: ['jwksFile'],
      properties: { jwksFile: { type: 'string', minLength: 1, description: "JWK Set file, relative to the contract's folder" } },
      additionalProperties: false,
    },
    {
      required: ['jwksUri'],
      properties: { jwksUri: { type: 'string', pattern: '^https?://', description: 'JWK Set URL' }, timeoutMs, redirects },
      additionalProperties: false,
    },
    {
      required: ['discovery'],
      properties: {
        discovery: {
          anyOf: [{ type: 'string', pattern: '^https?://' }, { const: true }],
          description:
            "OpenID Connect discovery: the issuer URL, or true for the environment's first issuer; the document must name that issuer exactly",
        },
        timeoutMs,
        redirects,
      },
      additionalProperties: false,
    },
    {
      required: ['pem'],
      properties: {
        pem: {
          type: 'string',
          minLength: 1,
          description: 'PEM public key (SPKI, PKCS#1) or X.509 certificate: a file, or the PEM text inline',
        },
        kid: { type: 'string', description: 'kid the key answers to (default: any token whose alg fits)' },
        alg: { type: 'string', description: 'the one algorithm this key verifies' },
      },
      additionalProperties: false,
    },
    {
      required: ['jwk'],
      properties: {
        jwk: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }], description: 'one public JWK: a file, or the object inline' },
      },
      additionalProperties: false,
    },
    {
      required: ['secret'],
      properties: {
        secret: {
          description: 'HMAC secret: the text itself, or where to read it ({ value | env | file, encoding })',
          anyOf: [
            { type: 'string', minLength: 1 },
            {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                value: { type: 'string', description: 'the secret text' },
                env: { type: 'string', minLength: 1, description: 'environment variable holding the secret (unset: a usage error)' },
                file: { type: 'string', minLength: 1, description: 'file holding the secret' },
                encoding,
                trim: {
                  type: 'boolean',
                  description:
                    'read a utf8 secret trimmed of whitespace at its ends, as a verifier that trims does (default false: raw, as stored, newline included; docs/security.md "Secret readings")',
                },
              },
            },
          ],
        },
        kid: { type: 'string', description: 'kid the secret answers to' },
        alg: { type: 'string', pattern: '^HS(256|384|512)$', description: 'the one HMAC algorithm this secret verifies' },
      },
      additionalProperties: false,
    },
  ],
};

// Durations: a number in the field's unit, or a string carrying its own. The string's form is
// checked by the section parser (src/contract/policy_section.ts, parseDuration), whose error
// names the accepted forms; an anyOf here would make the loader say "expected a number".
const duration = (unit: 'seconds' | 'days', what: string) => ({
  type: ['number', 'string'],
  minimum: 0,
  description: `${what}: a number (${unit}) or a duration string such as "15m", "1h", "90d"`,
});
const secretRef = (what: string, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  description: `where to read ${what}: { env: VAR } or { file: PATH } (never the value itself)`,
  oneOf: [
    {
      required: ['env'],
      properties: {
        env: { type: 'string', minLength: 1, description: 'environment variable holding it (unset or empty: a contract error)' },
        ...extra,
      },
      additionalProperties: false,
    },
    {
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          minLength: 1,
          description:
            "file holding it, relative to the contract's folder (one trailing newline is dropped, except from an HMAC secret: read raw, as the verifier reads it)",
        },
        ...extra,
      },
      additionalProperties: false,
    },
  ],
});
const revocationSource = {
  description: 'where revoked tokens are looked up (token_revoked): a kind alone ("none", or declared without a source), or one source',
  anyOf: [
    { enum: ['none', 'introspection', 'denylist', 'redis'] },
    {
      type: 'object',
      required: ['denylist'],
      additionalProperties: false,
      properties: {
        denylist: {
          type: 'string',
          minLength: 1,
          description: 'deny-list file: one jti per line, "sub SUBJECT before DATE" lines, # comments (docs/revocation.md)',
        },
      },
    },
    {
      type: 'object',
      required: ['redis'],
      additionalProperties: false,
      properties: {
        redis: {
          type: 'object',
          required: ['url', 'key'],
          additionalProperties: false,
          description: 'a Redis set of revoked jti values shared by a fleet of verifiers (SISMEMBER)',
          properties: {
            url: { type: 'string', pattern: '^redis://[^/@]+(/\\d+)?$', description: 'redis://HOST:PORT[/DB], no credentials' },
            key: { type: 'string', minLength: 1, description: "the set's key" },
            password: secretRef('the Redis password'),
            timeoutMs,
          },
        },
      },
    },
    {
      type: 'object',
      required: ['introspection'],
      additionalProperties: false,
      properties: {
        introspection: {
          type: 'object',
          required: ['clientId', 'clientSecret'],
          additionalProperties: false,
          description: 'RFC 7662 token introspection: active false means revoked',
          properties: {
            endpoint: {
              type: 'string',
              pattern: '^https?://',
              description:
                "the introspection endpoint (default: introspection_endpoint from the discovery document of the environment's first issuer, on the issuer's origin)",
            },
            clientId: { type: 'string', minLength: 1, description: 'client id (HTTP Basic, RFC 7662 section 2.1)' },
            clientSecret: secretRef('the introspection client secret'),
            timeoutMs,
          },
        },
      },
    },
  ],
};
const policy = {
  type: 'object',
  description:
    'token lifecycle policy: lifetime, refresh window, clock tolerance, key age and rollover, revocation (jwt-doctor policy; docs/cli/policy.md)',
  additionalProperties: false,
  patternProperties: { '^x-': { description: 'extension field, ignored' } },
  properties: {
    tokenLifetimeSeconds: duration('seconds', 'maximum access-token lifetime, exp - iat (token_lifetime_exceeds_policy)'),
    refreshTokenLifetimeSeconds: duration('seconds', 'refresh-token lifetime'),
    refreshWindowSeconds: duration('seconds', 'clients refresh at the latest this long before exp (token_refresh_overdue)'),
    maxClockToleranceSeconds: duration('seconds', 'the most clock tolerance a verifier may allow (clock_tolerance_exceeds_policy)'),
    keyMaxAgeDays: duration('days', 'no trusted key may be older (key_too_old)'),
    keyRolloverDays: duration('days', 'a new key is published at least this often (key_rotation_overdue)'),
    keyPublished: {
      type: 'object',
      additionalProperties: { type: ['string', 'number'] },
      description:
        'kid -> publication date (ISO 8601 with offset, or UNIX seconds): the key age when the key set carries no iat or certificate',
    },
    revocation: revocationSource,
  },
};

const claimExpectation = {
  anyOf: [
    { type: ['string', 'number', 'boolean'], description: 'exactly this value' },
    {
      type: 'object',
      required: ['equals'],
      properties: { equals: { description: 'deep equality with this JSON value' } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['oneOf'],
      properties: { oneOf: { type: 'array', description: 'one of these values' } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['includes'],
      properties: { includes: { ...stringOrList, description: 'a space-delimited string or an array containing all of these (scope)' } },
      additionalProperties: false,
    },
  ],
};

/**
 * Where a secret is read (a client secret, a refresh token, a signing key, a
 * static token): a variable or a file, never the value itself, so the
 * contract can be committed and shown (issue 12: "secrets only through
 * variables or files"). A string here is refused by the schema.
 */

const httpUrl = { type: 'string', pattern: '^https?://' };

// `jwt-doctor mint`: how this environment's signer signs (src/mint/load_signer.ts).
const signerSchema = {
  type: 'object',
  description: "how jwt-doctor mint signs like this environment's signer: privateKey or secret (from a variable or a file), kid, alg",
  additionalProperties: false,
  oneOf: [{ required: ['privateKey'] }, { required: ['secret'] }],
  properties: {
    privateKey: secretRef('the private key: PEM (PKCS#8, PKCS#1, SEC1) or a private JWK'),
    secret: secretRef('the HMAC secret', {
      encoding,
      trim: {
        type: 'boolean',
        description:
          'read a utf8 secret trimmed, as a verifier that trims does (default false: raw, as stored; docs/security.md "Secret readings")',
      },
    }),
    kid: { type: 'string', minLength: 1, description: "kid put in the header (default: the private JWK's kid, else none)" },
    alg: { enum: ALGORITHM_NAMES, description: "algorithm (default: the environment's first algorithm that fits the key)" },
  },
};

// OAuth 2.0 client of a token endpoint (RFC 6749 section 2.3.1, RFC 8707 resource).
const oauthClient = {
  clientId: { type: 'string', minLength: 1, description: 'client_id' },
  clientSecret: secretRef('the client secret'),
  authMethod: {
    enum: ['client_secret_basic', 'client_secret_post'],
    description: 'how the secret is sent (default client_secret_basic, RFC 6749 section 2.3.1)',
  },
  scope: { type: 'string', minLength: 1, description: 'scope parameter (space-delimited)' },
  resource: { ...stringOrList, description: 'RFC 8707 resource indicator(s): the API, so the access token is a JWT for it' },
  audience: { type: 'string', minLength: 1, description: 'audience parameter (some providers use it instead of resource)' },
  tokenEndpoint: { ...httpUrl, description: "token endpoint URL (default: discovery's token_endpoint from the environment's issuer)" },
};

// Where `jwt-doctor token` and `check` obtain a fresh token (src/obtain/obtain_token.ts).
// Not `tokenSource`: that section says where the verifier reads the token.
export const obtainSchema = {
  type: 'object',
  description: 'where a fresh token comes from: clientCredentials, refreshToken, command, static or mint (jwt-doctor token, check)',
  oneOf: [
    {
      required: ['clientCredentials'],
      properties: {
        clientCredentials: {
          type: 'object',
          required: ['clientId', 'clientSecret'],
          additionalProperties: false,
          properties: oauthClient,
          description: 'OAuth 2.0 client_credentials grant (RFC 6749 section 4.4)',
        },
        timeoutMs,
      },
      additionalProperties: false,
    },
    {
      required: ['refreshToken'],
      properties: {
        refreshToken: {
          type: 'object',
          required: ['clientId', 'token'],
          additionalProperties: false,
          properties: { ...oauthClient, token: secretRef('the refresh token') },
          description: 'OAuth 2.0 refresh_token grant (RFC 6749 section 6)',
        },
        timeoutMs,
      },
      additionalProperties: false,
    },
    {
      required: ['command'],
      properties: {
        command: {
          anyOf: [
            { type: 'array', items: { type: 'string' }, minItems: 1 },
            { type: 'string', minLength: 1 },
          ],
          description: 'a command printing the token: an argv list (no shell), or one string run by sh -c (the contract is trusted input)',
        },
        timeoutMs,
        maxBytes: { type: 'integer', minimum: 64, description: 'output cap in bytes (default 65536)' },
      },
      additionalProperties: false,
    },
    { required: ['static'], properties: { static: secretRef('the token') }, additionalProperties: false },
    {
      required: ['mint'],
      properties: {
        mint: {
          description: "jwt-doctor mint with the environment's signer: true, or { fault, lifetimeSeconds, claims }",
          anyOf: [
            { const: true },
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                fault: { enum: MINTABLE_FAULT_CODES, description: 'one fault to mint' },
                lifetimeSeconds: seconds,
                claims: { type: 'object', description: 'claims added or replaced' },
              },
            },
          ],
        },
      },
      additionalProperties: false,
    },
  ],
};

export const environmentSchema = {
  type: 'object',
  description: "what one environment's verifier expects, and where its keys come from",
  additionalProperties: false,
  patternProperties: { '^x-': { description: 'extension field, ignored' } },
  properties: {
    description: { type: 'string', description: 'free text about the environment (shown nowhere, read by people)' },
    issuer: { ...stringOrList, description: 'accepted iss values (any of; exact, case-sensitive: RFC 7519 section 4.1.1)' },
    audience: { ...stringOrList, description: 'accepted aud values (any of)' },
    // The one algorithm table (src/keys/algorithms.ts): a new algorithm there is accepted here.
    algorithms: {
      type: 'array',
      items: { enum: ALGORITHM_NAMES },
      minItems: 1,
      description: 'allowed algorithms (default: what the keys can verify; never none)',
    },
    typ: { type: 'string', minLength: 1, description: 'expected typ header (case-insensitive, "application/" optional): JWT, at+jwt' },
    requiredClaims: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'claims that must be present (missing_claim)' },
    claims: {
      type: 'object',
      additionalProperties: claimExpectation,
      description: 'expected claim values: claim -> value, { equals }, { oneOf } or { includes } (claim_mismatch)',
    },
    clockToleranceSeconds: { ...seconds, description: 'leeway for exp, nbf and iat, in seconds (default 0)' },
    maxTokenAgeSeconds: { ...seconds, description: 'maximum now - iat, in seconds (token_too_old)' },
    skewWindowSeconds: { ...seconds, description: 'a time failure within this many seconds may be clock skew (default 300)' },
    maxTokenBytes: { type: 'integer', minimum: 64, description: 'token size cap, checked before any decoding (default 16384)' },
    keys: {
      type: 'array',
      items: keySpec,
      description: 'trusted key sources, each one of jwksFile, jwksUri, discovery, pem, jwk, secret (all trusted)',
    },
    owners,
    production: {
      type: 'boolean',
      description: 'marks a production environment: mint (and other commands that forge tokens) refuse it without --i-know',
    },
    provider: {
      description:
        'the identity provider, whose token rules and fixes apply (docs/providers.md): a name, or { name, tokenUse } (default: detected from the issuer)',
      anyOf: [
        { enum: PROVIDER_NAMES },
        {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { enum: PROVIDER_NAMES, description: 'the provider profile' },
            tokenUse: { enum: ['access', 'id'], description: 'Cognito: the token_use the API takes (default access)' },
          },
        },
      ],
    },
    signer: signerSchema,
    obtain: obtainSchema,
    // Sections owned by later front ends (validated there).
    api: {
      type: 'object',
      description: 'the API behind the gateway: baseUrl, routes, header, scheme, echoPath (probe, diagnose --headers; docs/cli/probe.md)',
    },
    clients: {
      type: 'object',
      description:
        'the clients of this environment (web, mobile, ...): each checked separately by jwt-doctor check, minted for by mint --client, obtained by token --client',
      additionalProperties: {
        type: 'object',
        properties: {
          audience: {
            ...stringOrList,
            description: "the audience this client's tokens carry (replaces the environment's for this client)",
          },
          obtain: obtainSchema,
          tokenLifetimeSeconds: {
            type: 'number',
            exclusiveMinimum: 0,
            description: "this client's token lifetime, exp - iat (mint; check holds tokens to it and to the policy)",
          },
          refreshLeadSeconds: {
            ...seconds,
            description: 'the client refreshes this long before exp (check refresh_flow; default policy.refreshWindowSeconds, else 60)',
          },
          expectedLatencyMs: {
            type: 'number',
            minimum: 0,
            description: "the client's own latency to the token endpoint on top of the measured one (check refresh_flow; default 0)",
          },
          tokenSource: { type: 'object', description: 'where this client sends the token: { header, scheme } or { cookie }' },
        },
      },
    },
    policy,
    tokenSource: {
      type: 'object',
      description: 'where the verifier reads the token: { header, scheme } or { cookie } (middleware, diagnose --headers)',
    },
    verifier: {
      type: 'object',
      description: 'the running verifier: debugUrl, metricsUrl, cacheTtlSeconds (rotation check, rotation retire, middleware)',
    },
    issuerBaseUrl: {
      type: 'string',
      pattern: '^https?://',
      description: 'where the issuer answers HTTP, for clock (default: the first http(s) issuer)',
    },
  },
};

export const contractSchema = {
  type: 'object',
  description: 'jwt-doctor auth contract: per environment, what the verifier expects and where its keys come from',
  additionalProperties: false,
  patternProperties: { '^x-': { description: 'extension field, ignored' } },
  required: ['environments'],
  properties: {
    $schema: { type: 'string', description: 'the JSON Schema this file follows (editors)' },
    version: { const: 1, description: 'contract format version' },
    owners,
    defaults: {
      ...environmentSchema,
      description: 'environment fields merged under every environment',
      properties: { ...environmentSchema.properties },
    },
    environments: {
      type: 'object',
      description: 'the environments by name',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
      additionalProperties: environmentSchema,
    },
  },
};
