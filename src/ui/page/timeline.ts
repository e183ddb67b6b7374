import { formatDuration } from '../../report/format_time.ts';
import { svg } from './dom.ts';

export interface TimelineInput {
  iat?: number;
  nbf?: number;
  exp?: number;
  now: number;
  toleranceSeconds: number;
}

/** Where now stands against the token's window and the tolerance. */
export type TimelineState = 'valid' | 'in_tolerance' | 'expired' | 'not_yet_valid' | 'no_times';

const H = 132;
const BAR_Y = 58;
const BAR_H = 26;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The time claims of a payload (numbers only: a string exp is a malformed_token finding, not a time). */
export function timelineInput(claims: Record<string, unknown> | undefined, now: number, toleranceSeconds: number): TimelineInput {
  const t: TimelineInput = { now, toleranceSeconds };
  for (const k of ['iat', 'nbf', 'exp'] as const) {
    const v = num(claims?.[k]);
    if (v !== undefined) t[k] = v;
  }
  return t;
}

/** now against [start - tolerance, exp + tolerance], start being nbf, else iat. */
export function timelineState(t: TimelineInput): TimelineState {
  const start = t.nbf ?? t.iat;
  if (start === undefined && t.exp === undefined) return 'no_times';
  if (t.exp !== undefined && t.now >= t.exp + t.toleranceSeconds) return 'expired';
  if (start !== undefined && t.now < start - t.toleranceSeconds) return 'not_yet_valid';
  if ((t.exp !== undefined && t.now >= t.exp) || (start !== undefined && t.now < start)) return 'in_tolerance';
  return 'valid';
}

/** One sentence for under the drawing: what the picture says. */
export function timelineCaption(t: TimelineInput, state: TimelineState): string {
  const start = t.nbf ?? t.iat;
  const tol = `tolerance ${t.toleranceSeconds} s`;
  switch (state) {
    case 'expired':
      return `Expired ${formatDuration(t.now - (t.exp ?? t.now))} ago, past the ${tol}: a fresh token is needed (refresh), not a clock fix.`;
    case 'not_yet_valid':
      return `Starts ${formatDuration((start ?? t.now) - t.now)} after now, beyond the ${tol}: the signer's clock runs ahead of this verifier's (clock skew).`;
    case 'in_tolerance':
      return `Outside its own window but inside the ${tol}: accepted here, rejected by a verifier with less tolerance.`;
    case 'no_times':
      return 'The token has no iat, nbf or exp: nothing to draw.';
    default:
      return `Valid now${t.exp !== undefined ? `, expires in ${formatDuration(t.exp - t.now)}` : ', no exp'} (${tol}).`;
  }
}

/**
 * The timeline: the validity window as a bar, the tolerance bands at its
 * ends hatched, iat / nbf / exp ticks above and the now line across; now
 * right of the window (expired) and left of it (skew) look different.
 */
export function renderTimeline(t: TimelineInput, width = 640): SVGElement {
  // Drawn at the container's pixel width, so labels keep their size on a narrow window.
  const W = Math.max(280, Math.round(width));
  const state = timelineState(t);
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    class: `timeline state-${state}`,
    'data-state': state,
    'aria-labelledby': 'timeline-caption',
  });
  if (state === 'no_times') return root;
  const start = t.nbf ?? t.iat ?? Math.min(t.now, t.exp!) - 60;
  const end = t.exp ?? Math.max(t.now, start) + 60;
  const lo0 = Math.min(start - t.toleranceSeconds, t.now, t.iat ?? start);
  const hi0 = Math.max(end + t.toleranceSeconds, t.now);
  const span = Math.max(hi0 - lo0, 60);
  const [lo, hi] = [lo0 - span * 0.08, hi0 + span * 0.08];
  const x = (s: number) => 16 + ((s - lo) / (hi - lo)) * (W - 32);
  const anchor = (px: number) => (px < 90 ? 'start' : px > W - 90 ? 'end' : 'middle');
  const band = (a: number, b: number, cls: string) =>
    root.appendChild(svg('rect', { x: x(a), y: BAR_Y, width: Math.max(x(b) - x(a), 6), height: BAR_H, class: cls }));
  root.appendChild(
    svg(
      'defs',
      {},
      svg(
        'pattern',
        { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        svg('rect', { width: 3, height: 6, class: 'hatch' }),
      ),
    ),
  );
  root.appendChild(svg('line', { x1: 8, x2: W - 8, y1: BAR_Y + BAR_H / 2, y2: BAR_Y + BAR_H / 2, class: 'axis' }));
  band(start, end, 'window');
  if (t.exp !== undefined) band(t.exp, t.exp + t.toleranceSeconds, 'tolerance');
  if (t.nbf !== undefined || t.iat !== undefined) band(start - t.toleranceSeconds, start, 'tolerance');
  const label = (v: number) => clockLabel(v, hi - lo);
  const rows: number[][] = [[], [], []];
  for (const [name, v] of [
    ['iat', t.iat],
    ['nbf', t.nbf],
    ['exp', t.exp],
  ] as const) {
    if (v === undefined) continue;
    // The first label row with room: equal or close instants (iat = nbf) stack instead of overlapping.
    const row = Math.max(
      0,
      rows.findIndex((placed) => placed.every((p) => Math.abs(p - x(v)) > 110)),
    );
    rows[row]!.push(x(v));
    tick(root, x(v), `${name} ${label(v)}`, name, row, anchor(x(v)));
  }
  const nx = x(t.now);
  root.appendChild(svg('line', { x1: nx, x2: nx, y1: 14, y2: H - 18, class: 'now', 'data-mark': 'now' }));
  root.appendChild(svg('text', { x: nx, y: H - 4, 'text-anchor': anchor(nx), class: 'now-label' }, `now ${label(t.now)}`));
  return root;
}

/** A claim's tick above the bar; labels at three heights so equal instants (iat = nbf) stay readable. */
function tick(root: SVGElement, px: number, text: string, mark: string, row: number, textAnchor: string): void {
  const y = 14 + row * 14;
  root.appendChild(svg('line', { x1: px, x2: px, y1: y + 3, y2: BAR_Y + BAR_H, class: 'tick', 'data-mark': mark }));
  root.appendChild(svg('text', { x: px, y: y, 'text-anchor': textAnchor, class: 'tick-label' }, text));
}

/** An instant as a short UTC label: the time of day, with the date when the drawing spans days. */
function clockLabel(s: number, span: number): string {
  const iso = new Date(s * 1000).toISOString();
  return span < 86_400 ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
