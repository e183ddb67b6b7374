import { parse as shellParse } from 'shell-quote';

/** A header as a copied command would send it (name lower-cased). */
export interface DumpHeader {
  name: string;
  value: string;
}

/** What a copied command says about the request it would send. */
export interface CommandRequest {
  format: 'curl_command' | 'curl_cmd' | 'httpie' | 'powershell' | 'fetch';
  headers: DumpHeader[];
  /** Undefined when the command names no URL. */
  url?: string | undefined;
  /** Query parameters given apart from the URL (HTTPie `name==value`). */
  queryParams: string[];
}

const header = (name: string, value: string): DumpHeader => ({ name: name.trim().toLowerCase(), value });
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

/**
 * Cuts a POSIX shell text into command lines at unquoted newlines, and
 * drops `#` comments (bash: a newline ends a command unless escaped or
 * quoted; shell-quote alone reads newlines as spaces and a comment as the
 * rest of the text).
 */
function shellLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const close = c === "'" ? "'" : c === '"' ? '"' : undefined;
    if (c === '\\') {
      cur += c + (text[i + 1] ?? '');
      i++;
    } else if (close) {
      // '...' has no escapes; "..." and $'...' do.
      const escapes = c === '"' || text[i - 1] === '$';
      let j = i + 1;
      for (; j < text.length && text[j] !== close; j++) if (escapes && text[j] === '\\') j++;
      cur += text.slice(i, j + 1);
      i = j;
    } else if (c === '#' && (cur === '' || /\s$/.test(cur))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '\n') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Splits a POSIX shell command line into words as bash would (quotes,
 * `$'...'` ANSI-C strings, backslash-newline continuations), through
 * shell-quote. Variables stay literal (`$TOKEN`): nothing is expanded.
 * The words of the first command (up to a newline, `;`, `|`, `&&`) that
 * runs `program` are returned, starting after the program name.
 */
export function shellWords(text: string, program: RegExp): string[] | undefined {
  for (const line of shellLines(text.replace(/\\\r?\n/g, ' '))) {
    let words: string[] = [];
    for (const e of [...shellParse(line, (name) => `$${name}`), { op: ';' as const }]) {
      if (typeof e === 'string') words.push(e);
      else if ('op' in e && e.op === 'glob') words.push(e.pattern);
      else {
        const at = words.findIndex((w) => program.test(w));
        if (at >= 0) return words.slice(at + 1);
        words = [];
      }
    }
  }
  return undefined;
}

/**
 * Splits a Windows command line as cmd.exe and then the Microsoft C
 * runtime would: cmd.exe's `^` escapes the next character (and `^` at a
 * line end continues the line), then CommandLineToArgvW rules (quotes
 * group, `\"` is a quote, `""` inside quotes is a quote). This is the
 * shape of DevTools' "Copy as cURL (cmd)" (`^"...^"`, or `"..."` with `^`
 * escapes inside).
 */
export function cmdWords(text: string, program: RegExp): string[] | undefined {
  const commands: string[] = [];
  let line = '';
  let quoted = false;
  const end = () => {
    commands.push(line);
    line = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    // cmd.exe itself keeps a ^ inside "..." literal, but DevTools' escapeStringWin puts ^ escapes
    // inside "..." too (Chrome's "-H \"a: ^\\^\"b^\\^\"\""): read ^ as an escape everywhere, as the tool means it.
    if (c === '^') {
      const n = text[i + 1];
      // ^<newline> drops the newline and escapes the character after it (a line continuation,
      // or with DevTools' "^\n\n" a literal newline).
      if (n === '\r' && text[i + 2] === '\n') i += 2;
      else if (n === '\n') i += 1;
      if (i + 1 < text.length) line += text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    // An unescaped newline, or & outside quotes ("Copy all as cURL (cmd)"), starts the next command.
    if (c === '\n' || (c === '&' && !quoted)) end();
    else line += c;
  }
  end();
  for (const command of commands) {
    const words = crtWords(command);
    const at = words.findIndex((w) => program.test(w));
    if (at >= 0) return words.slice(at + 1);
  }
  return undefined;
}

/** CommandLineToArgvW: 2n backslashes + quote = n backslashes and a toggle; 2n+1 = n and a literal quote. */
function crtWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      let n = 0;
      while (line[i] === '\\') {
        n++;
        i++;
      }
      if (line[i] === '"') {
        cur += '\\'.repeat(n >> 1);
        if (n % 2) cur += '"';
        else quoted = !quoted;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
      inWord = true;
    } else if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** curl options that take a value (curl --help all); every other option is a flag. */
const CURL_VALUE_SHORT = new Set('dFXoeumxTwcbAHKUrEYyzCPQt'.split(''));
const CURL_VALUE_LONG = new Set([
  'data',
  'data-raw',
  'data-binary',
  'data-urlencode',
  'data-ascii',
  'json',
  'form',
  'form-string',
  'request',
  'output',
  'referer',
  'user',
  'connect-timeout',
  'max-time',
  'url',
  'proxy',
  'upload-file',
  'write-out',
  'cookie-jar',
  'cookie',
  'user-agent',
  'header',
  'config',
  'proxy-user',
  'range',
  'cert',
  'key',
  'cacert',
  'capath',
  'cert-type',
  'key-type',
  'pass',
  'ciphers',
  'resolve',
  'connect-to',
  'retry',
  'retry-delay',
  'retry-max-time',
  'limit-rate',
  'max-filesize',
  'interface',
  'oauth2-bearer',
  'aws-sigv4',
  'variable',
  'expand-url',
  'proxy-header',
  'preproxy',
  'noproxy',
  'dns-servers',
  'local-port',
  'max-redirs',
  'speed-limit',
  'speed-time',
  'time-cond',
  'trace',
  'trace-ascii',
  'stderr',
  'unix-socket',
  'abstract-unix-socket',
  'request-target',
  'quote',
  'telnet-option',
  'tls-max',
  'pinnedpubkey',
  'dump-header',
  'output-dir',
  'sasl-authzid',
  'service-name',
  'happy-eyeballs-timeout-ms',
  'expect100-timeout',
]);

/** One curl option and its value applied to the request. */
function applyCurlOption(name: string, value: string, req: CommandRequest): void {
  if (name === 'H' || name === 'header') {
    if (value.startsWith('@')) return; // headers read from a file we do not have
    const semi = /^([^:;]+);$/.exec(value); // "Name;" sends an empty header (curl man page, -H)
    const colon = value.indexOf(':');
    if (semi) req.headers.push(header(semi[1]!, ''));
    // "Name:" with nothing after it removes an internal header: nothing is sent.
    else if (colon > 0 && value.slice(colon + 1).trim() !== '')
      req.headers.push(header(value.slice(0, colon), value.slice(colon + 1).replace(/^\s+/, '')));
  } else if (name === 'oauth2-bearer') req.headers.push(header('authorization', `Bearer ${value}`));
  else if (name === 'u' || name === 'user') req.headers.push(header('authorization', basic(value)));
  else if (name === 'b' || name === 'cookie') {
    if (value.includes('=')) req.headers.push(header('cookie', value));
  } else if (name === 'A' || name === 'user-agent') req.headers.push(header('user-agent', value));
  else if (name === 'e' || name === 'referer') req.headers.push(header('referer', value));
  else if (name === 'url') req.url ??= value;
}

/**
 * Reads curl's arguments: `-H V`, `-HV` (no space), `--header V`,
 * `--header=V`, clustered short flags (`-sSH V`), `--oauth2-bearer T`,
 * `-u user:pass`, `-b`, `-A`, `-e`, `--url` and the first positional
 * URL. A later header of the same name is kept as a repeat (curl sends both).
 */
export function readCurlWords(words: readonly string[], format: 'curl_command' | 'curl_cmd'): CommandRequest {
  const req: CommandRequest = { format, headers: [], queryParams: [] };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      req.url ??= words[i + 1];
      break;
    }
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(2, eq) : w.slice(2);
      if (!CURL_VALUE_LONG.has(name)) continue;
      const value = eq > 0 ? w.slice(eq + 1) : words[++i];
      if (value !== undefined) applyCurlOption(name, value, req);
    } else if (w.startsWith('-') && w.length > 1) {
      for (let k = 1; k < w.length; k++) {
        const letter = w[k]!;
        if (!CURL_VALUE_SHORT.has(letter)) continue;
        const value = k + 1 < w.length ? w.slice(k + 1) : words[++i];
        if (value !== undefined) applyCurlOption(letter, value, req);
        break;
      }
    } else req.url ??= w;
  }
  return req;
}

/** HTTPie options that take a value (http --help). */
const HTTPIE_VALUE = new Set([
  '-a',
  '--auth',
  '-A',
  '--auth-type',
  '-p',
  '--print',
  '-o',
  '--output',
  '-s',
  '--style',
  '--session',
  '--session-read-only',
  '--timeout',
  '--verify',
  '--cert',
  '--cert-key',
  '--cert-key-pass',
  '--proxy',
  '--pretty',
  '--format-options',
  '--max-redirects',
  '--max-headers',
  '--ssl',
  '--ciphers',
  '--boundary',
  '--raw',
  '--response-charset',
  '--response-mime',
  '--default-scheme',
  '-P',
  '--path-as-is',
]);
/** A request item: key (backslash escapes separators), separator, value (HTTPie "REQUEST_ITEM"). */
const HTTPIE_ITEM = /^((?:\\.|[^:=@\\])+)(:=@|:=|==|=@|=|@|:|;)([\s\S]*)$/;

/**
 * Reads HTTPie / xh arguments: `[METHOD] URL ITEM...` where `Name:value`
 * is a header, `Name;` an empty header, `name==value` a query
 * parameter, and `-A bearer -a TOKEN` (or `-a user:pass`) the auth.
 */
export function readHttpieWords(words: readonly string[]): CommandRequest {
  const req: CommandRequest = { format: 'httpie', headers: [], queryParams: [] };
  let authType = 'basic';
  let auth: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const opt = eq > 0 ? w.slice(0, eq) : w;
    if (w.startsWith('-') && w.length > 1) {
      const value = HTTPIE_VALUE.has(opt) ? (eq > 0 ? w.slice(eq + 1) : words[++i]) : undefined;
      if (opt === '-A' || opt === '--auth-type') authType = (value ?? authType).toLowerCase();
      if (opt === '-a' || opt === '--auth') auth = value;
      continue;
    }
    positional.push(w);
  }
  if (positional[0] !== undefined && /^[A-Z]+$/.test(positional[0])) positional.shift();
  req.url = positional.shift();
  for (const item of positional) {
    const m = HTTPIE_ITEM.exec(item);
    if (!m) continue;
    const key = m[1]!.replace(/\\(.)/g, '$1');
    if (m[2] === ':' && m[3]!.trim() !== '') req.headers.push(header(key, m[3]!.replace(/^\s+/, '')));
    else if (m[2] === ';') req.headers.push(header(key, ''));
    else if (m[2] === '==') req.queryParams.push(key);
  }
  if (auth !== undefined) req.headers.push(header('authorization', authType === 'bearer' ? `Bearer ${auth}` : basic(auth)));
  return req;
}

/** PowerShell string literal at `i`: "..." (backtick escapes, "" and `$([char]N)`) or '...' ('' doubled). */
function readPsString(text: string, i: number): { value: string; end: number } | undefined {
  const q = text[i];
  if (q !== '"' && q !== "'") return undefined;
  let value = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === q) {
      if (text[j + 1] === q) {
        value += q;
        j++;
        continue;
      }
      return { value, end: j + 1 };
    }
    if (q === '"' && c === '`' && j + 1 < text.length) {
      const n = text[++j]!;
      value += ({ n: '\n', r: '\r', t: '\t', '0': '\0' } as Record<string, string>)[n] ?? n;
      continue;
    }
    // DevTools writes non-ASCII as $([char]N) inside the double-quoted string.
    const sub = q === '"' && c === '$' ? /^\$\(\[char\](\d+)\)/.exec(text.slice(j)) : null;
    if (sub) {
      value += String.fromCharCode(Number(sub[1]));
      j += sub[0].length - 1;
      continue;
    }
    value += c;
  }
  return undefined;
}

/** Entries of the hashtable literal `@{ k = v; ... }` starting at `i` (keys quoted or bare). */
function readPsHashtable(text: string, i: number): DumpHeader[] {
  const out: DumpHeader[] = [];
  let j = text.indexOf('{', i) + 1;
  while (j > 0 && j < text.length) {
    while (j < text.length && /[\s;`]/.test(text[j]!)) j++;
    if (text[j] === '}' || j >= text.length) break;
    const bare = /^[A-Za-z0-9_-]+/.exec(text.slice(j));
    const k = readPsString(text, j) ?? (bare ? { value: bare[0], end: j + bare[0].length } : undefined);
    if (!k) break;
    j = k.end;
    while (/[ \t]/.test(text[j] ?? '')) j++;
    if (text[j] !== '=') break;
    j++;
    while (/[ \t]/.test(text[j] ?? '')) j++;
    const v = readPsString(text, j);
    if (!v) break;
    out.push(header(k.value, v.value));
    j = v.end;
  }
  return out;
}

/**
 * Reads PowerShell `Invoke-WebRequest` / `Invoke-RestMethod` as DevTools'
 * "Copy as PowerShell" writes it: `-Headers @{ "name"="value" ... }`
 * (or `-Headers $h` with `$h = @{...}` / `$h.Add("name", "value")`),
 * `-Uri "..."`, and the `$session.UserAgent` of the `-WebSession` prelude.
 */
export function readPowerShell(text: string): CommandRequest {
  const req: CommandRequest = { format: 'powershell', headers: [], queryParams: [] };
  const ua = /\$\w+\.UserAgent\s*=\s*/.exec(text);
  const uaValue = ua ? readPsString(text, ua.index + ua[0].length) : undefined;
  if (uaValue) req.headers.push(header('user-agent', uaValue.value));
  const inline = /-Headers\s+@\{/i.exec(text);
  const byVar = /-Headers\s+\$(\w+)/i.exec(text);
  if (inline) req.headers.push(...readPsHashtable(text, inline.index));
  else if (byVar) {
    const name = byVar[1]!;
    const assigned = new RegExp(`\\$${name}\\s*=\\s*@\\{`, 'i').exec(text);
    if (assigned) req.headers.push(...readPsHashtable(text, assigned.index));
    for (const m of text.matchAll(new RegExp(`\\$${name}\\.Add\\(\\s*`, 'gi'))) {
      const k = readPsString(text, m.index! + m[0].length);
      const comma = k ? /^\s*,\s*/.exec(text.slice(k.end)) : null;
      const v = k && comma ? readPsString(text, k.end + comma[0].length) : undefined;
      if (k && v) req.headers.push(header(k.value, v.value));
    }
  }
  const uri = /-Uri\s+/i.exec(text);
  req.url = uri
    ? (readPsString(text, uri.index + uri[0].length)?.value ?? /^\S+/.exec(text.slice(uri.index + uri[0].length))?.[0])
    : undefined;
  return req;
}

/** The balanced `{...}` starting at `i`, skipping braces inside JSON/JS strings. */
function balancedObject(text: string, i: number): string | undefined {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"' || c === "'" || c === '`') {
      for (j++; j < text.length && text[j] !== c; j++) if (text[j] === '\\') j++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(i, j + 1);
  }
  return undefined;
}

/**
 * Reads DevTools' "Copy as fetch": Chrome's `fetch("url", {...})` and
 * Firefox's `await fetch("url", { "credentials": ..., "headers": {...} })`.
 * Both write the options as JSON (Chrome: JSON.stringify; Firefox: the
 * same members, four-space indent); trailing commas are tolerated.
 */
export function readFetchCall(text: string): CommandRequest | undefined {
  const call = /(?:^|[\s;(=])(?:await\s+)?fetch\s*\(\s*/m.exec(text);
  if (!call) return undefined;
  const at = call.index + call[0].length;
  const url = /^(["'`])((?:\\.|(?!\1)[^\\])*)\1/.exec(text.slice(at));
  const req: CommandRequest = { format: 'fetch', headers: [], queryParams: [] };
  if (url) req.url = url[1] === '"' ? (JSON.parse(url[0]) as string) : url[2]!;
  const open = text.indexOf('{', at + (url?.[0].length ?? 0));
  const body = open >= 0 ? balancedObject(text, open) : undefined;
  if (!body) return req;
  let options: { headers?: unknown };
  try {
    options = JSON.parse(body.replace(/,(\s*[}\]])/g, '$1')) as { headers?: unknown };
  } catch {
    return req;
  }
  const h = options?.headers;
  const pairs = Array.isArray(h) ? h : h && typeof h === 'object' ? Object.entries(h) : [];
  for (const p of pairs) if (Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') req.headers.push(header(p[0], p[1]));
  return req;
}
