/**
 * The runbook's steps as one table of rules (STYLE.md: a table and a loop):
 * each step is one jwt-doctor command, the contract sections it needs, the
 * question it answers and the reason codes it may report. The order is the
 * guide's debug flow ("decode token, verify signature with staging keys,
 * compare issuer/audience, validate clock tolerance, confirm header
 * propagation"), then keys and rotation, the fix, and the post-fix
 * validation of its Hardening Plan.
 */
import type { ReasonCode } from '../reasons.ts';

/** What the contract says about one environment, as far as the steps care. */
export interface EnvironmentShape {
  /** An http(s) issuer or issuerBaseUrl: `clock` can read its Date header. */
  issuerUrl: boolean;
  /** An `api` section: `probe` and `drill` have routes to send to. */
  api: boolean;
  /** Any key source. */
  keys: boolean;
  /** A key set served over HTTP (jwksUri, discovery): what `rotation check` compares. */
  servedKeys: boolean;
  /** verifier.debugUrl: the verifier side of `rotation check`. */
  verifierDebugUrl: boolean;
  /** A `policy` section. */
  policy: boolean;
  /** Where a fresh token comes from: the environment's `obtain`, else the first client's (by name). */
  obtain: { client?: string } | undefined;
  production: boolean;
}

/** The guide's runbook sections, in its order. */
export const RUNBOOK_SECTIONS = [
  'obtain',
  'decode',
  'verify issuer, audience and signature',
  'clock',
  'header propagation',
  'keys and rotation',
  'fix',
  'validate',
] as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[number];

export interface StepRule {
  id: string;
  section: RunbookSection;
  title: string;
  /** The command after `jwt-doctor`; TOKEN stands for the token ("$TOKEN" in the shell). */
  argv: (shape: EnvironmentShape) => string[];
  /** Whether the command takes the contract and the environment (--contract FILE --env NAME). */
  contract: 'env' | 'contract-only' | 'none';
  applies: (shape: EnvironmentShape) => boolean;
  answers: string;
  reasons: readonly ReasonCode[];
  /** Advice shown under the step when the contract lacks something it needs. */
  note?: (shape: EnvironmentShape) => string | undefined;
}

/** Stands for the token in a step's argv: "$TOKEN" in the runbook, the token itself when run. */
export const TOKEN = '\u0000TOKEN';

const clientFlag = (s: EnvironmentShape): string[] => (s.obtain?.client !== undefined ? ['--client', s.obtain.client] : []);

export const STEP_RULES: readonly StepRule[] = [
  {
    id: 'token',
    section: 'obtain',
    title: 'Obtain a fresh token from the token source',
    argv: (s) => ['token', ...clientFlag(s)],
    contract: 'env',
    applies: (s) => s.obtain !== undefined,
    answers: 'Does the token source (token endpoint, refresh grant, command, static token) issue a token right now?',
    reasons: ['token_endpoint_unreachable', 'token_request_rejected', 'token_opaque', 'token_command_failed'],
  },
  {
    id: 'decode',
    section: 'decode',
    title: 'Decode the token without trusting it',
    argv: () => ['decode', TOKEN],
    contract: 'none',
    applies: () => true,
    answers: 'What does the token claim (alg, kid, iss, aud, exp, iat), before anything is trusted?',
    reasons: ['malformed_token', 'token_encrypted', 'alg_none'],
  },
  {
    id: 'diagnose',
    section: 'verify issuer, audience and signature',
    title: "Check it against the environment's verifier",
    argv: () => ['diagnose', TOKEN],
    contract: 'env',
    applies: () => true,
    answers: "Does the signature verify with this environment's keys, and which claims differ from what its verifier expects?",
    reasons: [
      'issuer_mismatch',
      'audience_mismatch',
      'signature_invalid',
      'key_not_found',
      'key_from_other_environment',
      'secret_encoding_mismatch',
      'alg_not_allowed',
      'typ_mismatch',
      'missing_claim',
      'claim_mismatch',
      'token_expired',
      'token_not_yet_valid',
      'clock_skew_suspected',
      'token_revoked',
    ],
  },
  {
    id: 'clock',
    section: 'clock',
    title: "Measure the issuer's and the API's clocks",
    argv: () => ['clock', TOKEN],
    contract: 'env',
    applies: (s) => s.issuerUrl,
    answers: "How far are the issuer's and the API's clocks from this machine's, against the clock tolerance?",
    reasons: ['clock_offset_exceeds_tolerance', 'token_expired', 'token_not_yet_valid', 'iat_in_future', 'transport_error'],
  },
  {
    id: 'probe',
    section: 'header propagation',
    title: 'Send the token through the gateway to every route',
    argv: () => ['probe', TOKEN],
    contract: 'env',
    applies: (s) => s.api,
    answers: 'Does the Authorization header reach the API intact on every route, and does every route give the same answer?',
    reasons: [
      'header_missing',
      'header_modified',
      'route_drift',
      'token_rejected',
      'route_unexpected_status',
      'transport_error',
      'redirect_blocked',
    ],
  },
  {
    id: 'keys',
    section: 'keys and rotation',
    title: "Inspect the environment's key sources",
    argv: () => ['keys'],
    contract: 'env',
    applies: (s) => s.keys,
    answers: 'Which keys does the verifier trust (kid, thumbprint), and is any of them unusable or unsafe?',
    reasons: [
      'jwks_unreachable',
      'private_key_published',
      'key_invalid',
      'key_unusable',
      'duplicate_kid',
      'kid_missing',
      'weak_key',
      'certificate_expired',
    ],
  },
  {
    id: 'rotation',
    section: 'keys and rotation',
    title: "Compare the issuer's live key set with the verifier's cache",
    argv: () => ['rotation', 'check'],
    contract: 'env',
    applies: (s) => s.servedKeys,
    answers: 'Does the verifier hold every key the issuer publishes (a stale cache during rotation)?',
    reasons: [
      'jwks_stale',
      'jwks_key_unpublished',
      'jwks_cache_ttl_mismatch',
      'jwks_unreachable',
      'verifier_unreachable',
      'discovery_issuer_mismatch',
    ],
    note: (s) =>
      s.verifierDebugUrl ? undefined : "The contract has no verifier.debugUrl: add it, or run with --snapshot FILE of the verifier's keys.",
  },
  {
    id: 'match',
    section: 'fix',
    title: 'Find the environment the token really belongs to',
    argv: () => ['match', TOKEN],
    contract: 'contract-only',
    applies: () => true,
    answers:
      "Which environment of the contract accepts this token: fix the side that drifted (the signer's issuer/audience or the verifier's expectations), never by disabling a check.",
    reasons: ['issuer_mismatch', 'audience_mismatch', 'key_from_other_environment', 'signature_invalid'],
  },
  {
    id: 'policy',
    section: 'validate',
    title: 'Check the lifecycle policy',
    argv: () => ['policy', TOKEN],
    contract: 'env',
    applies: (s) => s.policy,
    answers: 'Do the token lifetime, refresh window, clock tolerance, key age and revocation hold to the policy?',
    reasons: [
      'token_lifetime_exceeds_policy',
      'token_refresh_overdue',
      'clock_tolerance_exceeds_policy',
      'key_too_old',
      'key_rotation_overdue',
      'token_revoked',
      'revocation_unavailable',
    ],
  },
  {
    id: 'check',
    section: 'validate',
    title: 'Run the post-fix validation',
    argv: () => ['check'],
    contract: 'env',
    applies: (s) => s.obtain !== undefined,
    answers: 'With a fresh token: do signature, issuer, audience, clock skew and the refresh flow pass (status = stable)?',
    reasons: [
      'signature_invalid',
      'issuer_mismatch',
      'audience_mismatch',
      'clock_offset_exceeds_tolerance',
      'token_expired',
      'header_missing',
      'token_endpoint_unreachable',
    ],
  },
  {
    id: 'drill',
    section: 'validate',
    title: 'Drill the failure modes',
    argv: () => ['drill', '--scenario', 'header-strip,skew,attacks'],
    contract: 'env',
    applies: (s) => s.api && !s.production,
    answers: 'Does the verifier reject stripped headers, times beyond its tolerance and forged tokens, as the quarterly drills require?',
    reasons: ['verifier_accepts_forged_token', 'verifier_fetches_token_url', 'header_missing', 'token_rejected', 'route_drift'],
  },
];
