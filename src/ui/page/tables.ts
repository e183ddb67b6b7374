import type { ClaimRow } from '../claim_rows.ts';
import type { DiagnoseResponse } from '../api.ts';
import { describeInstant } from '../../report/format_time.ts';
import { el, fill, show } from './dom.ts';

const TIME_ROWS = new Set(['exp', 'nbf', 'iat']);

/** A token value as the table shows it: NumericDates with their time and where they stand against now. */
function tokenCell(r: ClaimRow, now: number): string {
  return TIME_ROWS.has(r.claim) && typeof r.token === 'number' ? `${r.token}: ${describeInstant(r.claim, r.token, now)}` : show(r.token);
}

const STATUS_TEXT: Record<ClaimRow['status'], string> = {
  pass: 'pass',
  fail: 'fail',
  warn: 'warning',
  info: 'note',
  not_checked: 'not checked',
};

/** The claim-by-claim table: codes and status as data attributes (what tests and scripts read), text for people. */
export function renderClaimRows(tbody: HTMLElement, rows: readonly ClaimRow[], now: number): void {
  fill(
    tbody,
    ...rows.map((r) =>
      el(
        'tr',
        { 'data-claim': r.claim, 'data-status': r.status, 'data-codes': r.codes.join(' '), class: `status-${r.status}` },
        el('th', { scope: 'row', 'data-label': 'Claim' }, el('code', {}, r.claim)),
        el('td', { 'data-label': 'Token' }, tokenCell(r, now)),
        el('td', { 'data-label': 'Expected' }, show(r.expected)),
        el(
          'td',
          { 'data-label': 'Status' },
          el('span', { class: `badge badge-${r.status}` }, STATUS_TEXT[r.status]),
          ...r.codes.map((c) => el('code', { class: 'code', 'data-code': c }, c)),
        ),
        el('td', { 'data-label': 'Fix' }, r.hint ?? ''),
        el('td', { 'data-label': 'Owner' }, r.owner ? `${r.owner}${r.team ? ` (${r.team})` : ''}` : ''),
      ),
    ),
  );
}

/** The match-across-environments table; the environment being looked at and the likely minter are marked. */
export function renderMatch(tbody: HTMLElement, summary: HTMLElement, m: DiagnoseResponse['match'], current: string): void {
  fill(
    tbody,
    ...m.rows.map((r) =>
      el(
        'tr',
        { 'data-env': r.env, 'data-result': r.result, 'data-codes': r.failing.join(' '), class: r.env === current ? 'current' : '' },
        el('th', { scope: 'row' }, r.env, r.env === m.mintedBy ? el('span', { class: 'tag' }, 'likely minter') : undefined),
        el(
          'td',
          { 'data-label': 'Result' },
          el('span', { class: `badge ${r.result === 'valid' ? 'badge-pass' : 'badge-fail'}` }, r.result),
        ),
        el('td', { 'data-label': 'Signature' }, r.signature),
        el(
          'td',
          { 'data-label': 'Failing' },
          ...(r.failing.length ? r.failing.map((c) => el('code', { class: 'code', 'data-code': c }, c)) : ['-']),
        ),
      ),
    ),
  );
  fill(
    summary,
    `Most likely minted by: ${m.mintedBy ?? '(no environment: no key verifies and no claim matches)'}. Valid in: ${m.validIn.length ? m.validIn.join(', ') : '(none)'}.`,
  );
}
