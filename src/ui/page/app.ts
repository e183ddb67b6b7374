/**
 * The page of `jwt-doctor ui`: wires the form, the environment picker and
 * the renderers to the local API. No framework, no third-party request:
 * everything is in this bundle and talks only to the server that served it.
 */
import type { DiagnoseResponse, EnvironmentsResponse } from '../api.ts';
import { api, ApiError, takeAccessToken } from './api_client.ts';
import { copyText } from './copy.ts';
import { byId, el, fill } from './dom.ts';
import { renderJson } from './render_json.ts';
import { renderClaimRows, renderMatch } from './tables.ts';
import { renderTimeline, timelineCaption, timelineInput, timelineState } from './timeline.ts';

const ENV_KEY = 'jwt-doctor-ui-env';
let last: DiagnoseResponse | undefined;

function banner(text: string): void {
  const b = byId('banner');
  b.textContent = text;
  b.hidden = false;
}

function refusal(e: unknown): string {
  if (e instanceof ApiError && (e.code === 'access_token_required' || e.code === 'access_token_invalid'))
    return 'This page needs the access token: open the exact URL `jwt-doctor ui` printed (it ends with ?token=...).';
  return e instanceof Error ? e.message : String(e);
}

function fillEnvironments(r: EnvironmentsResponse): void {
  const select = byId<HTMLSelectElement>('env');
  const saved = sessionStorage.getItem(ENV_KEY);
  fill(
    select,
    ...r.environments.map((e) =>
      el('option', { value: e.name }, `${e.name}${e.production ? ' (production)' : ''}${e.description ? `: ${e.description}` : ''}`),
    ),
  );
  if (saved && r.environments.some((e) => e.name === saved)) select.value = saved;
  byId('contract-line').textContent =
    `Contract ${r.contract}. Tokens are diagnosed by the jwt-doctor process on this machine and sent nowhere else.`;
}

function render(r: DiagnoseResponse, env: string): void {
  const d = r.diagnosis;
  byId('results').hidden = false;
  byId('delta').textContent = r.delta;
  const badge = byId('result-badge');
  badge.textContent = d.result;
  badge.className = `badge ${d.result === 'valid' ? 'badge-pass' : 'badge-fail'}`;
  badge.setAttribute('data-result', d.result);
  renderClaimRows(byId('claims').querySelector('tbody')!, r.rows, d.clock.now);
  drawTimeline(d);
  byId('trust-note').textContent =
    d.signature.status === 'pass'
      ? 'The signature verifies with a key of this environment: the claims are the signer\u2019s.'
      : 'Untrusted: the signature does not verify with this environment\u2019s keys, so anyone may have written these claims.';
  fill(byId('header-json'), d.header ? renderJson(d.header, d.clock.now) : '(the header does not decode)');
  fill(byId('payload-json'), d.claims ? renderJson(d.claims, d.clock.now) : '(the payload does not decode)');
  renderMatch(byId('match').querySelector('tbody')!, byId('match-summary'), r.match, env);
  byId('command').textContent = r.command;
  byId('markdown').textContent = r.markdown;
}

function drawTimeline(d: DiagnoseResponse['diagnosis']): void {
  const t = timelineInput(d.claims, d.clock.now, d.clock.toleranceSeconds);
  const box = byId('timeline');
  fill(box, renderTimeline(t, box.clientWidth || 640));
  byId('timeline-caption').textContent = timelineCaption(t, timelineState(t));
}

async function diagnose(access: string): Promise<void> {
  const input = byId<HTMLTextAreaElement>('input').value;
  const env = byId<HTMLSelectElement>('env').value;
  const status = byId('status');
  if (input.trim() === '') {
    status.textContent = 'Paste a token, an Authorization header line or a curl command first.';
    return;
  }
  status.textContent = 'Diagnosing\u2026';
  try {
    last = await api.diagnose(access, input, env);
    render(last, env);
    status.textContent = `Diagnosed against ${env}: ${last.diagnosis.result}.`;
  } catch (e) {
    status.textContent = refusal(e);
  }
}

async function explain(access: string): Promise<void> {
  const out = byId('explain-result');
  const text = byId<HTMLTextAreaElement>('explain-input').value;
  if (text.trim() === '') return fill(out, 'Paste an error message first.');
  try {
    const r = await api.explain(access, text);
    if (!r.translation || !r.reason) return fill(out, el('p', { 'data-code': '' }, 'No known verifier message matched this text.'));
    fill(
      out,
      el('p', { 'data-code': r.translation.code }, el('code', { class: 'code' }, r.translation.code), ` ${r.reason.title}`),
      el('p', {}, `Fix (${r.reason.owner}): ${r.reason.hint}`),
    );
  } catch (e) {
    fill(out, refusal(e));
  }
}

function wire(access: string): void {
  const form = byId<HTMLFormElement>('diagnose-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void diagnose(access);
  });
  byId('input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void diagnose(access);
    }
  });
  byId<HTMLSelectElement>('env').addEventListener('change', (e) => {
    sessionStorage.setItem(ENV_KEY, (e.target as HTMLSelectElement).value);
    if (byId<HTMLTextAreaElement>('input').value.trim() !== '') void diagnose(access);
  });
  byId<HTMLFormElement>('explain-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void explain(access);
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.addEventListener('click', () => {
      const what = button.dataset.copy === 'markdown' ? last?.markdown : last?.command;
      if (what !== undefined) void copyText(what, byId('copy-status'), button.dataset.what ?? 'the text');
    });
  }
}

async function start(): Promise<void> {
  window.addEventListener('resize', () => last && drawTimeline(last.diagnosis));
  const access = takeAccessToken();
  if (!access) {
    banner('No access token: open the exact URL `jwt-doctor ui` printed (it ends with ?token=...).');
    return;
  }
  wire(access);
  try {
    fillEnvironments(await api.environments(access));
  } catch (e) {
    banner(refusal(e));
  }
}

document.addEventListener('DOMContentLoaded', () => void start());
