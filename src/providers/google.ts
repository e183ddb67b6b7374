import { findingIndex, issuerPair, retag, type Profile } from './profile.ts';

const FORMS = new Set(['accounts.google.com', 'https://accounts.google.com']);

/** Google ID tokens: iss is accounts.google.com or https://accounts.google.com; aud the OAuth client id. */
export const google: Profile = {
  name: 'google',
  title: 'Google',
  docs: 'https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken',
  ownsIssuer: (iss) => FORMS.has(iss),
  adjust(ctx) {
    const i = findingIndex(ctx, 'issuer_mismatch');
    const pair = issuerPair(ctx);
    if (i >= 0 && pair && FORMS.has(pair.actual) && pair.expected.some((e) => FORMS.has(e))) {
      // Google documents both forms as valid: a verifier naming the provider accepts either.
      if (ctx.configured) ctx.findings.splice(i, 1);
      else
        retag(
          ctx,
          i,
          'Google ID tokens carry iss "accounts.google.com" or "https://accounts.google.com": accept both (set provider: google in the contract).',
          { nearMiss: 'scheme' },
          'verifier',
        );
    }
    const a = findingIndex(ctx, 'audience_mismatch');
    if (a >= 0)
      retag(
        ctx,
        a,
        "A Google ID token's aud is the OAuth client id of the app that signed the user in: add that client id to the audience.",
        {},
        'verifier',
      );
  },
};
