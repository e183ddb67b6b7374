import { findingIndex, issuerPair, retag, type Profile } from './profile.ts';

const ISSUER = /^https:\/\/securetoken\.google\.com\/([^/]+)$/;

/** Firebase Authentication ID tokens: iss https://securetoken.google.com/{project}, aud the project id. */
export const firebase: Profile = {
  name: 'firebase',
  title: 'Firebase Authentication',
  docs: 'https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library',
  ownsIssuer: (iss) => ISSUER.test(iss),
  adjust(ctx) {
    const pair = issuerPair(ctx);
    const got = pair && ISSUER.exec(pair.actual)?.[1];
    const want = pair?.expected.map((e) => ISSUER.exec(e)?.[1]).find((p) => p !== undefined);
    if (!got || !want || got === want) return;
    const hint = `The token comes from Firebase project "${got}"; this API expects project "${want}": the client's firebaseConfig (projectId) points at another project.`;
    for (const code of ['issuer_mismatch', 'audience_mismatch'] as const) {
      const i = findingIndex(ctx, code);
      if (i >= 0) retag(ctx, i, hint, { tokenProject: got, expectedProject: want }, 'client');
    }
  },
};
