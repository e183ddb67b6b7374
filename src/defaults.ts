/**
 * Every default and limit of jwt-doctor, in one module (issue 10: one home
 * per concern). Options are resolved against these once, at the door of each
 * entry point (fast-jwt's `createVerifier`); modules that exported one of
 * these names before re-export it from here, so imports keep working.
 * docs/limits.md states the limits; test/token/limits_doc.test.ts checks it
 * against these values.
 */

// ---- Network (src/net/, key sources, probes)

/** Deadline of one network call: connect + headers + body (every network call has one). */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Body cap of a fetched document (JWKS, discovery, metrics text). */
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024;
/** Same-origin redirects followed at most this many times (when a source or the probe opts in). */
export const MAX_REDIRECTS = 5;
/** Body cap of a probe answer: the echo answer is small. */
export const DEFAULT_PROBE_MAX_BODY_BYTES = 64 * 1024;
/** Routes a probe sends at once; 1 gives the cleanest latency numbers. */
export const DEFAULT_PROBE_CONCURRENCY = 4;
/** Date-header samples of one clock measurement, and at most. */
export const DEFAULT_CLOCK_SAMPLES = 5;
export const MAX_CLOCK_SAMPLES = 50;
/** A HAR with response bodies can be tens of MB; past this a header dump is not parsed at all. */
export const MAX_DUMP_CHARS = 64 * 1024 * 1024;
/** `check`: a client refreshes this long before exp when neither its refreshLeadSeconds nor policy.refreshWindowSeconds says. */
export const DEFAULT_REFRESH_LEAD_SECONDS = 60;
/** `check`: Date-header samples per clock (fewer than `clock`: check reads several clocks per run). */
export const DEFAULT_CHECK_CLOCK_SAMPLES = 3;

// ---- Where the token travels (RFC 6750 section 2.1) and where things live

/** The header a bearer token is read from and sent in, and its scheme (middleware tokenSource, probe, header dumps). */
export const DEFAULT_AUTH_HEADER = 'authorization';
export const DEFAULT_AUTH_SCHEME = 'Bearer';
/** The contract file every command reads when none is named. */
export const DEFAULT_CONTRACT_FILE = 'auth-contract.yaml';
/** What a contract route answers a valid token with when it names no expectStatus. */
export const DEFAULT_EXPECT_STATUS = 200;
/** The probe's echo route on the API. */
export const DEFAULT_ECHO_PATH = '/.well-known/jwt-doctor/echo';

// ---- Token parsing (src/token/): size caps before recursive work (RFC 8725 section 3.12 spirit)

/** Size cap of a token, checked before any decoding. */
export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;
/**
 * The deepest nesting of arrays and objects a header or claims set may
 * have. JOSE headers and JWT claims sets are flat or nearly so (a `cnf`
 * or `address` object, an array of roles); 64 leaves room for any real
 * token while every walk of the value (ours, a report's, JSON.stringify's)
 * stays far below the stack limit. RFC 8259 section 9 lets a parser limit
 * nesting depth.
 */
export const MAX_JSON_DEPTH = 64;
/** Distinct header segments a prepared diagnoser keeps decoded (tokens of one signer share a handful). */
export const HEADER_CACHE_SIZE = 64;

// ---- Time (src/checks/time.ts)

/** Clock tolerance when the contract names none: exact (RFC 7519 section 4.1.4 allows "some small leeway", opt-in). */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 0;
/** Time failures within this many seconds beyond the tolerance are flagged clock_skew_suspected. */
export const DEFAULT_SKEW_WINDOW_SECONDS = 300;

// ---- Keys and signatures (src/checks/signature.ts, src/keys/)

/**
 * The most trusted keys one token is verified against. A token without a
 * kid (or a kid several keys share) is otherwise tried against every key
 * whose alg fits: with 1,000 keys that is 1,000 verifications per request,
 * on the event loop, for any attacker. jose's local JWK Set and jwks-rsa
 * refuse more than one match outright; 10 keeps their spirit while letting
 * a kid-less set in rotation (previous, current, next key, per issuer)
 * work. Beyond it: key_not_found, with the count and the advice to set kids
 * (RFC 7515 section 4.1.4, RFC 7517 section 4.5). docs/limits.md.
 */
export const MAX_CANDIDATE_KEYS = 10;
/**
 * Extra verifications one token may cost the provenance search (secrets
 * under other encodings, other environments' keys). The search runs only
 * when no trusted key verified, i.e. on input anyone can send: without a
 * bound, a contract with many environments and keys turns every bad token
 * into hundreds of verifications (quadratic across `match`). 32 covers a
 * contract of a few environments with a few keys each; beyond it the search
 * stops quietly (it is advice, not a verdict). docs/limits.md.
 */
export const MAX_PROVENANCE_VERIFICATIONS = 32;
/**
 * Extra verifications signature forensics (src/forensics/, issue 11) may
 * spend on one token whose signature did not verify: the ECDSA DER
 * conversion, the other RSA padding, the other hashes of the family, a
 * re-encoded token's canonical form, the secret readings. Like provenance
 * it runs only on failure, i.e. on input anyone can send, so it is bounded:
 * 24 covers every probe against the few candidate keys a kid selects (one
 * or two tries per key and probe) and costs a few milliseconds at most
 * (ECDSA P-521 verifications being the dearest, about 0.3 ms each; the
 * forensics bench in BENCHMARKS.md). Off in the middleware's request path
 * unless `forensics: true`. docs/limits.md.
 */
export const MAX_FORENSIC_VERIFICATIONS = 24;
/**
 * The most one probe may spend of that budget, so that a probe trying many
 * keys (another environment's set) cannot starve the probes after it.
 */
export const MAX_FORENSIC_VERIFICATIONS_PER_PROBE = 8;
/** RSA modulus below this never verifies (RFC 7518 section 3.3) and is a weak_key warning. */
export const MIN_RSA_BITS = 2048;

// ---- Verifier JWKS cache (src/middleware/jwks_cache.ts; the rotation checks read the same values)

/** TTL when the response has no usable Cache-Control / Expires (jose createRemoteJWKSet, jwks-rsa and Envoy's remote_jwks all cache a JWKS for 600 s by default). */
export const DEFAULT_CACHE_TTL_SECONDS = 600;
/** Cache-Control is honoured within [MIN, MAX]: no fetch per request, no year-long pin of a retired key. */
export const MIN_CACHE_TTL_SECONDS = 60;
export const MAX_CACHE_TTL_SECONDS = 86400;
/** Minimum seconds between two fetches of one set (unknown-kid refetch, retries after a failure; jose's cooldownDuration). */
export const DEFAULT_COOLDOWN_SECONDS = 30;
/** How long past its TTL a set keeps being served while refreshes fail. */
export const DEFAULT_STALE_IF_ERROR_SECONDS = 3600;
/** Per JWKS fetch on the request path's background refresh: shorter than DEFAULT_TIMEOUT_MS. */
export const DEFAULT_JWKS_TIMEOUT_MS = 3000;

// ---- Middleware

/** How many retired kids keep their own failure label (bounded metric cardinality). */
export const FORMER_KIDS_MAX = 16;
/** The verifier's key debug endpoint, and where `rotation` reads it by default. */
export const DEFAULT_DEBUG_PATH = '/.well-known/jwt-doctor/keys';

// ---- Drills (src/drill)

/** Pause between two tries while the rotation drill waits for the verifier to pick up a key change. */
export const DEFAULT_DRILL_POLL_INTERVAL_MS = 500;
/** Seconds between the two metrics samples of the rotation drill's retirement checklist. */
export const DEFAULT_DRILL_METRICS_INTERVAL_SECONDS = 2;
/** Clock difference between the drill and the target the skew probes absorb (within = T - slack, beyond = T + slack). */
export const DEFAULT_DRILL_SKEW_SLACK_SECONDS = 2;
/** Added to cache TTL + cooldown for the rotation drill's longest wait on one step. */
export const DRILL_PROPAGATION_MARGIN_SECONDS = 5;

// ---- Revocation (src/revocation/; the middleware's `revocation` option, `policy`, `diagnose`)

/**
 * Deadline of one revocation lookup (Redis command, RFC 7662 introspection
 * request). It sits on the request path of every verified token that misses
 * the cache, so it is shorter than DEFAULT_TIMEOUT_MS; past it the source is
 * `revocation_unavailable` (fail closed by default).
 */
export const DEFAULT_REVOCATION_TIMEOUT_MS = 2000;
/**
 * Answers the middleware keeps per verifier (bounded: the oldest goes
 * first). One entry per distinct jti (or token hash for introspection).
 */
export const REVOCATION_CACHE_MAX_ENTRIES = 10_000;
/**
 * How long an answer is reused. This is the revocation delay: a token
 * revoked now is refused by every verifier within this many seconds. 30 s
 * keeps a Redis set or an introspection endpoint at most one lookup per
 * token per 30 s per verifier; 0 disables the cache.
 */
export const REVOCATION_CACHE_TTL_SECONDS = 30;
/** A deny-list file larger than this is unreadable (never parsed): about 200,000 UUID jti lines. */
export const MAX_DENYLIST_BYTES = 8 * 1024 * 1024;
/** A Redis reply larger than this closes the connection (SISMEMBER answers a few bytes). */
export const MAX_REDIS_REPLY_BYTES = 64 * 1024;
