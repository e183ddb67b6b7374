/**
 * The replica's contract (auth-contract.yaml in the replica's folder):
 * `local` and `staging` pointing at the replica's servers, with staging's
 * verifier misconfigured as in the guide's story (its issuer and audience
 * copied from prod: https://auth.example.com, web-prod), and the fix that
 * points it at what its identity provider really issues.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPLICA_AUDIENCE, REPLICA_RESOURCE, type ReplicaClient } from './replica_provider.ts';

export const CONTRACT_FILE = 'auth-contract.yaml';
/** The contract as it was before the fix (for `contract diff`). */
export const CONTRACT_BEFORE_FILE = 'auth-contract.before.yaml';
/** prod's verifier settings, which staging's verifier carries by mistake (examples/auth-contract.yaml). */
export const PROD_ISSUER = 'https://auth.example.com';
export const PROD_AUDIENCE = 'web-prod';
export const LOCAL_CLIENT = 'local-dev';
export const STAGING_CLIENT = 'staging-ci';

/** Where the replica's servers listen. */
export interface ReplicaOrigins {
  provider: string;
  gateway: string;
}

/** What staging's verifier expects. */
export interface VerifierSettings {
  issuer: string;
  audience: string;
}

const obtain = (origins: ReplicaOrigins, client: string) =>
  [
    '    obtain:',
    '      clientCredentials:',
    `        clientId: ${client}`,
    `        clientSecret: { file: secrets/${client}.secret }`,
    `        resource: ${REPLICA_RESOURCE}`,
    `        tokenEndpoint: ${origins.provider}/token`,
  ].join('\n');

/** The contract's YAML text. */
export function replicaContractYaml(origins: ReplicaOrigins, staging: VerifierSettings): string {
  return `# The local staging replica of jwt-doctor demo: every server on 127.0.0.1.
version: 1
owners: { signer: identity-team, verifier: api-platform, secrets: security-ops, gateway: platform-edge }
environments:
  local:
    description: developer laptops; the web app logs in against the staging identity provider
    issuer: ${origins.provider}
    audience: ${REPLICA_AUDIENCE}
    algorithms: [RS256]
    clockToleranceSeconds: 30
    keys:
      - jwksUri: ${origins.provider}/jwks
${obtain(origins, LOCAL_CLIENT)}
  staging:
    description: staging orders API behind the gateway
    issuer: ${staging.issuer}
    audience: ${staging.audience}
    algorithms: [RS256]
    requiredClaims: [sub, exp, iat]
    clockToleranceSeconds: 10
    maxTokenAgeSeconds: 3600
    keys:
      - jwksUri: ${origins.provider}/jwks
${obtain(origins, STAGING_CLIENT)}
    owners: { verifier: orders-team }
`;
}

/** Writes the contract (staging misconfigured) and the client secrets (mode 0600) into `dir`; returns the contract's path. */
export function writeReplicaContract(dir: string, origins: ReplicaOrigins, clients: readonly ReplicaClient[]): string {
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  for (const c of clients) writeFileSync(join(dir, 'secrets', `${c.id}.secret`), c.secret, { mode: 0o600 });
  const path = join(dir, CONTRACT_FILE);
  writeFileSync(path, replicaContractYaml(origins, { issuer: PROD_ISSUER, audience: PROD_AUDIENCE }));
  return path;
}

/** The fix, written over the contract (the old one kept as CONTRACT_BEFORE_FILE). */
export function fixReplicaContract(dir: string, origins: ReplicaOrigins, staging: VerifierSettings): void {
  copyFileSync(join(dir, CONTRACT_FILE), join(dir, CONTRACT_BEFORE_FILE));
  writeFileSync(join(dir, CONTRACT_FILE), replicaContractYaml(origins, staging));
}
