import { addAll, isObject, readYamlDocuments, strings } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

/**
 * ASP.NET Core's JwtBearer options bound from appsettings.json
 * (`Authentication:Schemes:<scheme>`, .NET 7+; or a section with Authority /
 * Audience). Microsoft.IdentityModel's defaults made explicit: 5 minutes of
 * clock skew (TokenValidationParameters.DefaultClockSkew), exp required
 * (RequireExpirationTime), Authorization: Bearer.
 */
export function importAspnet(text: string, file: string): ImportedEnvironment {
  const [doc] = readYamlDocuments(text.replace(/^\uFEFF/, ''), file);
  const schemes =
    isObject(doc) && isObject(doc.Authentication) && isObject(doc.Authentication.Schemes) ? doc.Authentication.Schemes : undefined;
  const entries = schemes ? Object.entries(schemes).filter(([, v]) => isObject(v)) : [];
  const found = entries.length > 0 ? entries : findBearerSection(doc);
  if (found.length === 0)
    throw new ImportError(file, 'no Authentication:Schemes:<scheme> (or JwtBearer section with Authority/ValidIssuer) in this file');
  const fields: Record<string, unknown> = {
    tokenSource: { header: 'authorization', scheme: 'Bearer' },
    clockToleranceSeconds: 300,
    requiredClaims: ['exp'],
  };
  const unmapped: Unmapped[] = [];
  const keys: unknown[] = [];
  for (const [name, s] of found as [string, Record<string, unknown>][]) {
    const at = schemes ? `Authentication:Schemes:${name}` : name;
    const authority = typeof s.Authority === 'string' ? s.Authority : undefined;
    addAll(fields, 'issuer', [...strings(s.ValidIssuer), ...strings(s.ValidIssuers)]);
    if (authority && !fields.issuer) addAll(fields, 'issuer', [authority]);
    addAll(fields, 'audience', [...strings(s.Audience), ...strings(s.ValidAudience), ...strings(s.ValidAudiences)]);
    if (typeof s.MetadataAddress === 'string') keys.push({ discovery: s.MetadataAddress });
    else if (authority) keys.push({ discovery: authority });
    readSigningKeys(s, at, keys, unmapped);
    if (s.ClockSkew !== undefined)
      unmapped.push({
        setting: `${at}:ClockSkew`,
        reason: 'JwtBearer does not bind ClockSkew from configuration: the 5-minute default applies unless code sets it',
      });
  }
  fields.keys = keys;
  if (found.length > 1) unmapped.push({ setting: 'Authentication:Schemes', reason: `${found.length} schemes merged into one environment` });
  return { fields, unmapped, owner: 'verifier' };
}

/** A top-level section that looks like JwtBearer options (Authority or ValidIssuer). */
function findBearerSection(doc: unknown): [string, unknown][] {
  if (!isObject(doc)) return [];
  return Object.entries(doc).filter(
    ([, v]) => isObject(v) && (typeof v.Authority === 'string' || v.ValidIssuer !== undefined || v.ValidIssuers !== undefined),
  );
}

/** dotnet user-jwts writes symmetric SigningKeys: never copied (secrets stay out of contracts), read from a variable instead. */
function readSigningKeys(s: Record<string, unknown>, at: string, keys: unknown[], unmapped: Unmapped[]): void {
  const list = Array.isArray(s.SigningKeys) ? s.SigningKeys.filter(isObject) : [];
  list.forEach((k, i) => {
    const variable = `ASPNET_SIGNING_KEY_${i + 1}`;
    keys.push({ secret: { env: variable, encoding: 'base64' }, ...(typeof k.Id === 'string' ? { kid: k.Id } : {}) });
    unmapped.push({
      setting: `${at}:SigningKeys[${i}].Value`,
      reason: `a secret is not copied into the contract: export ${variable} with it (base64)`,
    });
  });
}
