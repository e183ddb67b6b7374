import { audiences, findingIndex, issuerPair, retag, type Profile, type ProfileContext } from './profile.ts';

// v1.0 and v2.0 access tokens of Microsoft Entra ID (Azure AD): the issuer
// form follows the *API's* app registration (accessTokenAcceptedVersion),
// not the endpoint the client called.
const V1 = /^https:\/\/sts\.windows\.net\/([0-9a-fA-F-]{36})\/$/;
const V2 = /^https:\/\/login\.microsoftonline\.com\/([0-9a-fA-F-]{36}|common|organizations|consumers)\/v2\.0$/;
const GRAPH_AUDIENCES = new Set(['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000']);

function version(iss: string): { ver: '1.0' | '2.0'; tid: string } | undefined {
  const v1 = V1.exec(iss);
  if (v1) return { ver: '1.0', tid: v1[1]!.toLowerCase() };
  const v2 = V2.exec(iss);
  return v2 ? { ver: '2.0', tid: v2[1]!.toLowerCase() } : undefined;
}

/** Microsoft Entra ID (formerly Azure AD). */
export const entra: Profile = {
  name: 'entra',
  title: 'Microsoft Entra ID',
  docs: 'https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens',
  ownsIssuer: (iss) => version(iss) !== undefined,
  adjust(ctx) {
    if (isGraphToken(ctx)) return explainGraphToken(ctx);
    explainIssuerVersion(ctx);
    explainAudienceForm(ctx);
  },
};

/** A token for Microsoft Graph (aud Graph, or the `nonce` header Graph adds): only Graph verifies it. */
function isGraphToken(ctx: ProfileContext): boolean {
  return audiences(ctx.claims).some((a) => GRAPH_AUDIENCES.has(a)) || typeof ctx.header?.nonce === 'string';
}

function explainGraphToken(ctx: ProfileContext): void {
  const hint =
    "This is a Microsoft Graph access token (aud Graph, nonce in the header): Graph signs a hash of the nonce, so nobody but Graph can verify it. Request a token for your API's own scope (api://<client-id>/.default).";
  for (const code of ['signature_invalid', 'audience_mismatch'] as const) {
    const i = findingIndex(ctx, code);
    if (i >= 0) retag(ctx, i, hint, { graphToken: true }, 'client');
  }
}

function explainIssuerVersion(ctx: ProfileContext): void {
  const i = findingIndex(ctx, 'issuer_mismatch');
  const pair = issuerPair(ctx);
  const got = pair && version(pair.actual);
  if (i < 0 || !pair || !got) return;
  const want = pair.expected.map(version).find((v) => v !== undefined);
  if (!want) return;
  if (want.tid !== got.tid && want.tid !== 'common' && want.tid !== 'organizations') {
    retag(
      ctx,
      i,
      `The token comes from another Entra tenant (tid ${got.tid}); this API expects tenant ${want.tid}. A multi-tenant API validates the issuer per tenant (the tid claim), a single-tenant one needs users of its own tenant.`,
      { tokenTenant: got.tid, expectedTenant: want.tid },
      'client',
    );
  } else if (want.ver !== got.ver) {
    const hint =
      got.ver === '1.0'
        ? `The API's app registration issues v1.0 tokens (issuer https://sts.windows.net/${got.tid}/): set "accessTokenAcceptedVersion": 2 in its manifest, or accept the v1.0 issuer.`
        : `The API's app registration issues v2.0 tokens (issuer https://login.microsoftonline.com/${got.tid}/v2.0) while this verifier expects v1.0: accept the v2.0 issuer, or set "accessTokenAcceptedVersion": 1.`;
    retag(ctx, i, hint, { tokenVersion: got.ver, expectedVersion: want.ver }, got.ver === '1.0' ? 'signer' : 'verifier');
  }
}

/** v1.0 tokens carry the App ID URI (api://...) as aud, v2.0 tokens the client id. */
function explainAudienceForm(ctx: ProfileContext): void {
  const i = findingIndex(ctx, 'audience_mismatch');
  const expected = ctx.expectations.audience ?? [];
  if (i < 0) return;
  const strip = (a: string) => a.replace(/^api:\/\//, '').replace(/\/+$/, '');
  const sameApp = audiences(ctx.claims).some((a) => expected.some((e) => e !== a && strip(e) === strip(a)));
  if (!sameApp) return;
  retag(
    ctx,
    i,
    'Same application, another audience form: v1.0 tokens carry the App ID URI (api://...) as aud, v2.0 tokens the client id. Accept both forms in the verifier, or align accessTokenAcceptedVersion.',
    { nearMiss: 'app_id_uri' },
    'verifier',
  );
}
