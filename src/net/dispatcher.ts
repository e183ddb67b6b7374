import type { Dispatcher } from 'undici';

/** The proxy settings of the environment, read the way curl and undici read them. */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string;
}

/**
 * `http_proxy` / `HTTP_PROXY`, `https_proxy` / `HTTPS_PROXY` (falling back
 * to the HTTP proxy, as undici does) and `no_proxy` / `NO_PROXY`; the
 * lower-case name wins, as in curl and undici. Empty values are unset.
 */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const pick = (lower: string, upper: string) => env[lower] || env[upper] || undefined;
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  const httpsProxy = pick('https_proxy', 'HTTPS_PROXY') ?? httpProxy;
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), noProxy: pick('no_proxy', 'NO_PROXY') ?? '' };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy a request to `url` goes through, or undefined for a direct
 * connection. NO_PROXY is a comma or space separated list of host names
 * (a leading `.` or `*.` is ignored: every subdomain matches), optional
 * `:port`, or `*` for everything: the same rules as undici's
 * EnvHttpProxyAgent, so the probe's raw requests and every fetch agree.
 *
 * @example proxyFor(new URL('https://auth.example.com/jwks'), { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost' }) // 'http://proxy:3128'
 */
export function proxyFor(url: URL, settings: ProxySettings = proxySettings()): string | undefined {
  const proxy = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!proxy) return undefined;
  const host = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  const entries = settings.noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.includes('*')) return undefined;
  for (const entry of entries) {
    const m = /^(.+):(\d+)$/.exec(entry);
    const name = (m ? m[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (m && Number(m[2]) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return undefined;
  }
  return proxy;
}

let cached: { key: string; dispatcher: Dispatcher } | undefined;

/**
 * The `dispatcher` option every fetch of the tool passes: undici's
 * EnvHttpProxyAgent when a proxy variable is set (so HTTP_PROXY,
 * HTTPS_PROXY and NO_PROXY work as they do for curl), else nothing (Node's
 * own dispatcher, no undici loaded). One agent per distinct setting.
 *
 * @example await fetch(url, { ...(await dispatcherOption()) })
 */
export async function dispatcherOption(): Promise<{ dispatcher?: Dispatcher }> {
  const s = proxySettings();
  if (!s.httpProxy && !s.httpsProxy) return {};
  const key = JSON.stringify(s);
  if (cached?.key !== key) {
    const { EnvHttpProxyAgent } = await import('undici');
    cached = {
      key,
      dispatcher: new EnvHttpProxyAgent({
        ...(s.httpProxy ? { httpProxy: s.httpProxy } : {}),
        ...(s.httpsProxy ? { httpsProxy: s.httpsProxy } : {}),
        noProxy: s.noProxy,
      }),
    };
  }
  return { dispatcher: cached.dispatcher };
}
