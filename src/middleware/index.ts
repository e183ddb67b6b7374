/**
 * jwt-doctor/middleware: the verifier middleware (re-exports only).
 *
 * @example
 * import { createVerifier, withJwtAuth } from 'jwt-doctor/middleware';
 */
export { createVerifier, rejectionReason, type AnonymousOutcome, type AuthContext, type OptionalAuthRequest, type Rejection, type Verifier, type VerifierOptions, type VerifyOutcome, type VerifyRequest } from './verifier.ts';
export { JwksCache, ttlFromHeaders, isRemoteKeySpec, type JwksCacheOptions, type JwksCacheSettings, type RemoteKeySpec } from './jwks_cache.ts';
export { createMiddlewareMetrics, METRIC_NAMES, UNKNOWN_KID, UNMATCHED_ROUTE, TOKEN_AGE_BUCKETS, type MiddlewareMetrics } from './metrics.ts';
export { createSignerMetrics, type SignerMetrics } from './signer_metrics.ts';
export { challengeFor, formatWwwAuthenticate, type BearerChallenge } from './rfc6750.ts';
export { createJsonLineLogger, type HandlerErrorLogRecord, type LoggerLike, type RejectionLogRecord } from './log.ts';
export { extractToken, type RequestHeadersLike, type TokenExtraction } from './extract_token.ts';
export { parseTokenSource, parseVerifierSection, DEFAULT_TOKEN_SOURCE, type TokenSourceConfig, type VerifierSection } from './config.ts';
export { buildKeysSnapshot, keysSnapshotResponse, DEFAULT_DEBUG_PATH, KEYS_SNAPSHOT_SCHEMA, type VerifierKeysSnapshot } from './debug_endpoint.ts';
export { answerSpecialPath } from './special_paths.ts';
export { withJwtAuth, type AuthenticatedRequest, type MaybeAuthenticatedRequest, type NodeHttpAuthOptions } from './node_http.ts';
export { jwtDoctorExpress, type ExpressAuthOptions } from './express.ts';
export { jwtDoctorFastify, type FastifyAuthOptions } from './fastify.ts';
