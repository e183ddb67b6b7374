import { audiences, findingIndex, issuerPair, retag, stringClaim, type Profile } from './profile.ts';

// https://{tenant}.auth0.com/ or a regional https://{tenant}.{region}.auth0.com/: always a trailing slash.
const ISSUER = /^https:\/\/[^/]+\.auth0\.com\/$/;

/** Auth0: the issuer ends with a slash; an access token for an API needs the audience parameter. */
export const auth0: Profile = {
  name: 'auth0',
  title: 'Auth0',
  docs: 'https://auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens',
  ownsIssuer: (iss) => ISSUER.test(iss) || ISSUER.test(`${iss}/`),
  adjust(ctx) {
    const i = findingIndex(ctx, 'issuer_mismatch');
    const pair = issuerPair(ctx);
    if (i >= 0 && pair && pair.expected.some((e) => e.replace(/\/+$/, '') === pair.actual.replace(/\/+$/, ''))) {
      retag(
        ctx,
        i,
        `Auth0's issuer ends with a slash (${pair.actual.replace(/\/*$/, '/')}): set the verifier's issuer with the slash.`,
        {
          nearMiss: 'trailing_slash',
        },
        'verifier',
      );
    }
    const a = findingIndex(ctx, 'audience_mismatch');
    if (a < 0) return;
    const aud = audiences(ctx.claims);
    const idToken = aud.length === 1 && (ctx.claims?.nonce !== undefined || stringClaim(ctx.claims, 'azp') === aud[0]);
    retag(
      ctx,
      a,
      idToken
        ? "This looks like an Auth0 ID token (aud is the application's client id): send the access token, requested with audience=<the API identifier>."
        : "The access token was requested for another API: request it with audience=<this API's identifier> (without it Auth0 returns a token for /userinfo only).",
      { idToken },
      'client',
    );
  },
};
