import { audiences, findingIndex, issuerPair, retag, stringClaim, type Profile } from './profile.ts';

// Keycloak's issuer is {frontend URL}/realms/{realm} (older versions: /auth/realms/{realm}).
const ISSUER = /^(https?:\/\/[^/]+(?:\/auth)?)\/realms\/([^/]+)$/;

/** Keycloak: aud "account" by default, azp the client, an issuer that follows the frontend URL. */
export const keycloak: Profile = {
  name: 'keycloak',
  title: 'Keycloak',
  docs: 'https://www.keycloak.org/docs/latest/server_admin/#audience-support',
  ownsIssuer: (iss) => ISSUER.test(iss),
  adjust(ctx) {
    const a = findingIndex(ctx, 'audience_mismatch');
    if (a >= 0 && audiences(ctx.claims).includes('account')) {
      const azp = stringClaim(ctx.claims, 'azp');
      retag(
        ctx,
        a,
        `Keycloak puts aud "account" (its account console) by default${azp ? `; the requesting client is azp "${azp}"` : ''}: add an Audience mapper (a client scope with "Included Client Audience" = the API's client) so the API's id appears in aud.`,
        { azp: azp ?? null },
        'signer',
      );
    }
    const i = findingIndex(ctx, 'issuer_mismatch');
    const pair = issuerPair(ctx);
    const got = pair && ISSUER.exec(pair.actual);
    const want = pair?.expected.map((e) => ISSUER.exec(e)).find((m) => m !== null);
    if (i < 0 || !got || !want) return;
    if (got[2] !== want[2]) {
      retag(
        ctx,
        i,
        `The token comes from realm "${got[2]}", the API expects realm "${want[2]}": each realm has its own issuer and keys.`,
        {
          tokenRealm: got[2],
          expectedRealm: want[2],
        },
        'client',
      );
    } else {
      retag(
        ctx,
        i,
        `Same realm, another base URL (${got[1]} vs ${want[1]}): Keycloak's issuer follows the URL the client reached it by (hostname / KC_HOSTNAME, frontendUrl). Set one hostname for every client, or accept both issuers.`,
        { frontendUrl: { token: got[1], expected: want[1] } },
        'signer',
      );
    }
  },
};
