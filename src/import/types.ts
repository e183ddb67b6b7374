/**
 * `jwt-doctor contract import` (issue 15 item 2): a deployed verifier's own
 * configuration read into one contract environment. Each importer is pure
 * (text in, fields out) and says what it could not map.
 */
export const IMPORT_KINDS = ['envoy', 'istio', 'kong', 'spring', 'aspnet', 'oauth2-proxy', 'nginx'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A setting of the deployed config the contract cannot express (or that jwt-doctor will not copy, such as a secret). */
export interface Unmapped {
  /** Where it is in the source config (its path or directive). */
  setting: string;
  reason: string;
}

/** One importer's answer: contract environment fields, and what did not map. */
export interface ImportedEnvironment {
  /** Contract environment fields (issuer, audience, algorithms, keys, tokenSource, clockToleranceSeconds, requiredClaims). */
  fields: Record<string, unknown>;
  unmapped: Unmapped[];
  /** The team that owns this config (gateway or verifier), for drift findings. */
  owner: 'gateway' | 'verifier';
}

export type Importer = (text: string, file: string) => ImportedEnvironment;

/** The configuration could not be read at all (not YAML/JSON, no verifier section). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
