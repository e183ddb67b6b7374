import { audiences, findingIndex, issuerPair, retag, type Profile } from './profile.ts';

// https://{org}.okta.com is the org authorization server (tokens for Okta's
// own APIs); https://{org}.okta.com/oauth2/{id} a custom one (default: "default").
const ISSUER = /^https:\/\/([^/]+\.(?:okta|oktapreview|okta-emea)\.com)(\/oauth2\/([^/]+))?$/;

function server(iss: string): { host: string; server: string } | undefined {
  const m = ISSUER.exec(iss);
  return m ? { host: m[1]!, server: m[3] ?? 'org' } : undefined;
}

/** Okta: the org authorization server and custom authorization servers have different issuers and keys. */
export const okta: Profile = {
  name: 'okta',
  title: 'Okta',
  docs: 'https://developer.okta.com/docs/concepts/auth-servers/',
  ownsIssuer: (iss) => ISSUER.test(iss),
  adjust(ctx) {
    const i = findingIndex(ctx, 'issuer_mismatch');
    const pair = issuerPair(ctx);
    const got = pair && server(pair.actual);
    const want = pair?.expected.map(server).find((s) => s !== undefined);
    if (i >= 0 && got && want && got.host === want.host) {
      const hint =
        got.server === 'org'
          ? `The token comes from Okta's org authorization server (${pair!.actual}), whose access tokens are for Okta's own APIs and cannot be validated by yours: request the token from the custom authorization server (${pair!.expected[0]}).`
          : want.server === 'org'
            ? `The verifier expects Okta's org authorization server; APIs validate tokens of a custom authorization server: set the issuer to ${pair!.actual}.`
            : `The token comes from custom authorization server "${got.server}", the API expects "${want.server}": each authorization server has its own issuer and keys. Point the client (or the verifier) at one of them.`;
      retag(ctx, i, hint, { tokenServer: got.server, expectedServer: want.server }, want.server === 'org' ? 'verifier' : 'client');
    }
    const a = findingIndex(ctx, 'audience_mismatch');
    if (a >= 0 && audiences(ctx.claims).includes('api://default')) {
      retag(
        ctx,
        a,
        'aud "api://default" is the default custom authorization server\'s audience: set the API\'s audience in that authorization server (Security > API > Settings), or accept api://default.',
        {},
        'signer',
      );
    }
  },
};
