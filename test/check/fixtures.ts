/**
 * An environment whose tokens are minted with the bundled staging signer
 * (examples/keys), for the check tests that need no token endpoint.
 */
import { REPO } from '../helpers/index.ts';

export const MINT_ENV = {
  issuer: 'https://auth.example.com',
  audience: 'web-prod',
  algorithms: ['RS256'],
  typ: 'JWT',
  requiredClaims: ['sub', 'exp', 'iat'],
  clockToleranceSeconds: 10,
  keys: [{ jwksFile: `${REPO}examples/keys/staging.jwks.json` }],
  signer: { privateKey: { file: `${REPO}examples/keys/staging-signer.private.pem` }, kid: 'staging-2026-11' },
  obtain: { mint: true },
};
