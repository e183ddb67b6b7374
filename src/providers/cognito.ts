import { makeFinding } from '../reasons.ts';
import { findingIndex, retag, stringClaim, type Profile, type ProfileContext } from './profile.ts';

const ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[A-Za-z0-9-]+_[A-Za-z0-9]+$/;

/**
 * Amazon Cognito user pools: access tokens carry `client_id` and
 * `token_use: "access"` and no `aud`; ID tokens carry `aud` (the app client
 * id) and `token_use: "id"`. AWS's verifier (aws-jwt-verify) checks the app
 * client id against `aud` for ID tokens and `client_id` for access tokens,
 * and checks `token_use`.
 */
export const cognito: Profile = {
  name: 'cognito',
  title: 'Amazon Cognito',
  docs: 'https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html',
  ownsIssuer: (iss) => ISSUER.test(iss),
  adjust(ctx) {
    const tokenUse = stringClaim(ctx.claims, 'token_use');
    if (tokenUse === 'access' && ctx.claims?.aud === undefined) checkClientId(ctx);
    const want = ctx.setting.tokenUse ?? 'access';
    if (ctx.configured && tokenUse !== want) {
      ctx.findings.push(
        makeFinding('claim_mismatch', {
          claim: 'token_use',
          expected: want,
          actual: tokenUse ?? null,
          hint:
            want === 'access'
              ? 'This is a Cognito ID token (token_use "id"): send the access token to the API, or set provider.tokenUse: id if the API takes ID tokens.'
              : 'The API takes Cognito ID tokens (token_use "id"): the client sent another kind.',
          owner: 'client',
          detail: { provider: 'cognito' },
        }),
      );
    }
  },
};

/** A Cognito access token has no aud: its app client id is `client_id`. */
function checkClientId(ctx: ProfileContext): void {
  const expected = ctx.expectations.audience;
  const clientId = stringClaim(ctx.claims, 'client_id');
  for (let i = ctx.findings.length - 1; i >= 0; i--) {
    const f = ctx.findings[i]!;
    if (f.claim !== 'aud' || (f.code !== 'missing_claim' && f.code !== 'audience_mismatch')) continue;
    if (!ctx.configured) {
      retag(
        ctx,
        i,
        'Cognito access tokens carry no aud: the app client id is in client_id. Set provider: cognito in the contract so client_id is checked against the audience (as aws-jwt-verify does).',
        { clientId: clientId ?? null },
        'verifier',
      );
    } else if (clientId !== undefined && expected?.includes(clientId)) {
      ctx.findings.splice(i, 1);
    } else ctx.findings.splice(i, 1, clientIdMismatch(ctx, clientId));
  }
  // A contract that lists aud as required asked for what Cognito access tokens never have.
  if (ctx.configured && findingIndex(ctx, 'missing_claim', 'aud') >= 0) ctx.findings.splice(findingIndex(ctx, 'missing_claim', 'aud'), 1);
}

function clientIdMismatch(ctx: ProfileContext, clientId: string | undefined) {
  const expected = ctx.expectations.audience ?? [];
  return makeFinding('audience_mismatch', {
    claim: 'client_id',
    expected: expected.length === 1 ? expected[0] : expected,
    actual: clientId ?? null,
    hint: "The access token was issued to another Cognito app client: use the API's app client, or add this client id to the contract's audience.",
    owner: 'client',
    detail: { provider: 'cognito' },
  });
}
