/**
 * jwt-doctor/middleware: the verifier middleware (re-exports only). One
 * framework-free verifier per contract environment (createVerifier), thin
 * adapters for node:http, Express and Fastify, the JSON-lines logger, the
 * signer-side metrics, and the names and schemas a dashboard or the
 * `rotation check` command reads. The verifier's parts (key cache, RFC 6750
 * challenge, token extraction, special paths) are internal: an adapter for
 * another framework needs only `verifier.verify()`, whose rejection carries
 * status, headers and body. api/middleware.api.md lists every name.
 *
 * @example
 * import { createVerifier, withJwtAuth } from 'jwt-doctor/middleware';
 */
export {
  createVerifier,
  type AnonymousOutcome,
  type AuthContext,
  type OptionalAuthRequest,
  type Rejection,
  type Verifier,
  type VerifierOptions,
  type VerifyOutcome,
  type VerifyRequest,
} from './verifier.ts';
export { withJwtAuth, type AuthenticatedRequest, type MaybeAuthenticatedRequest, type NodeHttpAuthOptions } from './node_http.ts';
export { jwtDoctorExpress, type ExpressAuthOptions } from './express.ts';
export { jwtDoctorFastify, type FastifyAuthOptions } from './fastify.ts';
export { createJsonLineLogger, type HandlerErrorLogRecord, type LoggerLike, type RejectionLogRecord } from './log.ts';
export { createSignerMetrics, type SignerMetrics } from './signer_metrics.ts';
// What dashboards and `rotation check` read: metric names, the debug endpoint's path and document.
export { METRIC_NAMES, type MiddlewareMetrics } from './metrics.ts';
export { DEFAULT_DEBUG_PATH, KEYS_SNAPSHOT_SCHEMA, type VerifierKeysSnapshot } from './debug_endpoint.ts';
// Types of VerifierOptions' and Verifier's members.
export type { JwksCacheSettings } from './jwks_cache.ts';
export type { TokenSourceConfig, VerifierSection } from '../contract/sections.ts';
// Revocation (the `revocation` option): one interface, three sources, the bounded cache, the contract builder.
export type { RevocationOptions } from './check_revocation.ts';
export {
  createDenylistSource,
  createRedisSetSource,
  createIntrospectionSource,
  cacheRevocation,
  createRevocationSource,
  type RevocationSource,
  type RevocationInput,
  type RevocationAnswer,
  type RevocationFailure,
  type RevokedBy,
  type RedisSetOptions,
  type IntrospectionOptions,
  type RevocationCacheOptions,
  type RevocationContext,
} from '../revocation/index.ts';
