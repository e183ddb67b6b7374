import { describeInstant } from '../../report/format_time.ts';
import { el, type Child } from './dom.ts';

/** Claims holding a NumericDate (RFC 7519 section 2): shown with their human time. */
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);

/**
 * A JSON value as highlighted nodes (spans with a class per token kind),
 * two-space indented; NumericDate claims get their ISO time and where it
 * stands against `now` as a trailing note.
 */
export function renderJson(value: unknown, now: number): Node {
  const out = document.createDocumentFragment();
  for (const n of jsonNodes(value, 0, now)) out.appendChild(typeof n === 'string' ? document.createTextNode(n) : n);
  return out;
}

const span = (cls: string, text: string) => el('span', { class: cls }, text);

function jsonNodes(v: unknown, depth: number, now: number, key?: string): Node[] | string[] {
  if (v === null) return [span('j-null', 'null')];
  if (typeof v === 'string') return [span('j-str', JSON.stringify(v))];
  if (typeof v === 'number') {
    const note = key !== undefined && TIME_CLAIMS.has(key) ? span('j-note', `  // ${describeInstant(key, v, now)}`) : undefined;
    return note ? [span('j-num', String(v)), note] : [span('j-num', String(v))];
  }
  if (typeof v === 'boolean') return [span('j-bool', String(v))];
  if (Array.isArray(v))
    return container(
      '[',
      ']',
      v.map((x) => [undefined, x] as const),
      depth,
      now,
    );
  if (typeof v === 'object') return container('{', '}', Object.entries(v as Record<string, unknown>), depth, now);
  return [span('j-str', String(v))];
}

function container(
  open: string,
  close: string,
  items: readonly (readonly [string | undefined, unknown])[],
  depth: number,
  now: number,
): Node[] {
  if (items.length === 0) return [span('j-punct', open + close)];
  const pad = '  '.repeat(depth + 1);
  const out: Child[] = [span('j-punct', open), '\n'];
  items.forEach(([k, x], i) => {
    out.push(pad);
    if (k !== undefined) out.push(span('j-key', JSON.stringify(k)), span('j-punct', ': '));
    const value = jsonNodes(x, depth + 1, now, k) as Node[];
    // The time note goes after the comma, at the end of the line.
    const note = value.length > 1 ? value.pop() : undefined;
    out.push(...value, i < items.length - 1 ? span('j-punct', ',') : undefined, note, '\n');
  });
  out.push('  '.repeat(depth), span('j-punct', close));
  return out
    .filter((c): c is Node | string => c !== undefined && c !== false)
    .map((c) => (typeof c === 'string' ? document.createTextNode(c) : c));
}
