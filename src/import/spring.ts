import { addAll, isObject, readYamlDocuments } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

const PREFIX = 'spring.security.oauth2.resourceserver.jwt.';

/**
 * Spring Boot's resource server (`spring.security.oauth2.resourceserver.jwt.*`)
 * from application.yml or application.properties. Spring's defaults made
 * explicit: RS256 only (jws-algorithms), 60 s clock skew
 * (JwtTimestampValidator), Authorization: Bearer (DefaultBearerTokenResolver).
 */
export function importSpring(text: string, file: string): ImportedEnvironment {
  const props =
    /\.properties$/i.test(file) || (!/^\s*[{\w-]+:/m.test(text) && /^\s*spring\.security\./m.test(text))
      ? readProperties(text)
      : readYaml(text, file);
  const keys = Object.keys(props);
  if (keys.length === 0) throw new ImportError(file, `no ${PREFIX}* settings in this file`);
  const fields: Record<string, unknown> = {
    tokenSource: { header: 'authorization', scheme: 'Bearer' },
    clockToleranceSeconds: 60,
    requiredClaims: ['exp'],
  };
  const unmapped: Unmapped[] = [];
  const issuer = props['issuer-uri'];
  if (issuer) addAll(fields, 'issuer', [issuer]);
  addAll(fields, 'audience', list(props.audiences));
  fields.algorithms = list(props['jws-algorithms']).length > 0 ? list(props['jws-algorithms']) : ['RS256'];
  if (props['jwk-set-uri']) fields.keys = [{ jwksUri: props['jwk-set-uri'] }];
  else if (props['public-key-location']) {
    const loc = props['public-key-location'];
    if (loc.startsWith('classpath:'))
      unmapped.push({
        setting: `${PREFIX}public-key-location`,
        reason: `${loc} is inside the application: copy the PEM next to the contract and point keys[].pem at it`,
      });
    fields.keys = [{ pem: loc.replace(/^file:/, '') }];
  } else if (issuer) fields.keys = [{ discovery: issuer }];
  for (const k of keys)
    if (!['issuer-uri', 'audiences', 'jws-algorithms', 'jwk-set-uri', 'public-key-location'].includes(k))
      unmapped.push({ setting: PREFIX + k, reason: 'no contract field for it' });
  return { fields, unmapped, owner: 'verifier' };
}

/** Relaxed binding: issuer-uri, issuerUri and issuer_uri are one property. */
function canonical(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');
}

function readProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m && m[1]!.startsWith(PREFIX)) out[canonical(m[1]!.slice(PREFIX.length))] = m[2]!;
  }
  return out;
}

function readYaml(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const doc of readYamlDocuments(text, file)) {
    let node: unknown = doc;
    for (const part of ['spring', 'security', 'oauth2', 'resourceserver', 'jwt']) node = isObject(node) ? node[part] : undefined;
    if (!isObject(node)) continue;
    for (const [k, v] of Object.entries(node)) out[canonical(k)] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
