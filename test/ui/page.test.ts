/**
 * The page as a user meets it: Debian's chromium driven by playwright-core
 * against the real ui server (examples contract, fixed clock). Rows, codes
 * and states are read from data attributes; every request the page makes
 * is recorded and must go to the server that served it. Screenshots
 * (light, dark, narrow, expired, skew) go to test-results/ui/ for a person
 * to look at.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { EXAMPLES_NOW, REPO } from '../helpers/index.ts';
import { loadContract } from '../../src/contract/load.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { matchEnvironments } from '../../src/match.ts';
import { startUiServer, type UiServer } from '../../src/ui/server.ts';
import { builtPage } from './build_page.ts';

const CONTRACT_FILE = 'examples/auth-contract.yaml';
const contract = loadContract(join(REPO, CONTRACT_FILE));
const TOKEN = readFileSync(join(REPO, 'examples/tokens/local-login.jwt'), 'utf8').trim();
const ARTIFACTS = join(REPO, 'test-results/ui');
const servers: UiServer[] = [];
let browser: Browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

/** A ui server on the examples contract, its clock at `now`. */
async function serve(now = EXAMPLES_NOW): Promise<UiServer> {
  const s = await startUiServer({ contract, contractFile: CONTRACT_FILE, assetsDir: await builtPage(), now });
  servers.push(s);
  return s;
}

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
  /** Console errors and uncaught exceptions: a CSP violation is reported there. */
  errors: string[];
}

async function open(ui: UiServer, options: { width?: number; dark?: boolean } = {}): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 800 },
    colorScheme: options.dark ? 'dark' : 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${ui.port}` });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(ui.url);
  await page.waitForSelector('#env option', { state: 'attached' });
  return { context, page, requests, errors };
}

/** Pastes the token, picks the environment, and waits for its diagnosis. */
async function diagnose(page: Page, env: string, input = TOKEN): Promise<void> {
  await page.selectOption('#env', env);
  await page.fill('#input', input);
  await page.click('#diagnose');
  await page.waitForSelector(`#status:has-text("Diagnosed against ${env}")`);
}

const attr = (page: Page, selector: string, name: string) => page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n)), name);

test('paste the token, pick staging: the claim rows, codes, timeline, match table and copy buttons', async () => {
  const ui = await serve();
  const { context, page, requests, errors } = await open(ui);
  assert.equal(new URL(page.url()).searchParams.get('token'), null, 'the access token is taken out of the address bar');
  await diagnose(page, 'staging');

  const expected = (await createDiagnoser(contract.environments.staging!, { contract })).diagnose(TOKEN, { now: EXAMPLES_NOW });
  assert.equal(await page.getAttribute('#result-badge', 'data-result'), expected.result);
  const rows = await page.$$eval('#claims tbody tr', (trs) =>
    trs.map((tr) => ({ claim: tr.dataset.claim, status: tr.dataset.status, codes: tr.dataset.codes ? tr.dataset.codes.split(' ') : [] })),
  );
  const failing = (claim: string) => expected.findings.filter((f) => f.severity === 'error' && f.claim === claim).map((f) => f.code);
  for (const claim of ['iss', 'aud', 'header.alg', 'exp', 'iat', 'sub']) {
    const row = rows.find((r) => r.claim === claim);
    assert.ok(row, `a row for ${claim}`);
    assert.deepEqual(row.codes, failing(claim), claim);
    assert.equal(row.status, failing(claim).length ? 'fail' : 'pass', claim);
  }
  assert.equal(rows.find((r) => r.claim === 'signature')?.status, expected.signature.status === 'pass' ? 'pass' : 'fail');
  assert.deepEqual((await page.textContent('#delta'))?.split('\n').slice(4), [
    `signature = ${expected.signature.status}`,
    `result = ${expected.result}`,
  ]);

  assert.equal(await page.getAttribute('#timeline svg', 'data-state'), 'valid');
  assert.deepEqual((await attr(page, '#timeline [data-mark]', 'data-mark')).sort(), ['exp', 'iat', 'now']);
  assert.equal(await page.locator('#timeline .tolerance').count(), 2, 'tolerance bands at both ends');

  const match = await matchEnvironments(TOKEN, contract, { now: EXAMPLES_NOW });
  const shown = await page.$$eval('#match tbody tr', (trs) => trs.map((tr) => [tr.dataset.env, tr.dataset.result]));
  assert.deepEqual(
    shown,
    match.rows.map((r) => [r.env, r.result]),
  );

  await page.click('#copy-command');
  await page.waitForSelector('#copy-status[data-copied]');
  const command = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(command, await page.textContent('#command'));
  assert.match(command, /^jwt-doctor diagnose "\$TOKEN" .*--env staging/);
  await page.click('#copy-markdown');
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#copy-status')?.dataset.copied?.includes('Markdown'));
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(markdown, /^# JWT diagnosis: staging/);
  assert.ok(!markdown.includes('user-1234'), 'the copied report is sanitized');

  await page.screenshot({ path: join(ARTIFACTS, 'light-1280.png'), fullPage: true });
  assertLocal(requests, ui);
  assert.deepEqual(errors, [], 'no console error (a CSP violation would be one)');
  await context.close();
});

test('keyboard: labelled fields in order, Ctrl+Enter diagnoses, a visible focus ring; explain a message', async () => {
  const ui = await serve();
  const { context, page, requests } = await open(ui);
  for (const id of ['input', 'env', 'explain-input']) assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, id);
  await page.focus('#input');
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'env');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'diagnose');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.equal(outline, 'solid', 'the focused button shows a focus ring');
  await page.focus('#input');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#result-badge[data-result]');

  await page.fill('#explain-input', 'JsonWebTokenError: jwt expired');
  await page.click('#explain');
  await page.waitForSelector('#explain-result [data-code]');
  assert.deepEqual(await attr(page, '#explain-result [data-code]', 'data-code'), ['token_expired']);
  assertLocal(requests, ui);
  await context.close();
});

test('dark mode and a narrow window: readable, nothing wider than the window', async () => {
  const ui = await serve();
  const dark = await open(ui, { dark: true });
  await diagnose(dark.page, 'staging');
  const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(246, 247, 249)', 'the dark palette is in use');
  await dark.page.screenshot({ path: join(ARTIFACTS, 'dark-1280.png'), fullPage: true });
  assertLocal(dark.requests, ui);
  await dark.context.close();

  const narrow = await open(ui, { width: 400 });
  await diagnose(narrow.page, 'prod');
  const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a 400px window`);
  await narrow.page.screenshot({ path: join(ARTIFACTS, 'narrow-400.png'), fullPage: true });
  assertLocal(narrow.requests, ui);
  await narrow.context.close();
});

test('the timeline tells expiry from clock skew', async () => {
  const iat = Number(JSON.parse(Buffer.from(TOKEN.split('.')[1]!, 'base64url').toString()).iat);
  for (const [name, now, state, code] of [
    ['expired', iat + 2 * 3600, 'expired', 'token_expired'],
    ['skew', iat - 15 * 60, 'not_yet_valid', 'iat_in_future'],
  ] as const) {
    const ui = await serve(now);
    const { context, page, requests } = await open(ui);
    await diagnose(page, 'local');
    assert.equal(await page.getAttribute('#timeline svg', 'data-state'), state, name);
    const codes = (await attr(page, '#claims tbody tr', 'data-codes')).join(' ').split(' ');
    assert.ok(codes.includes(code), `${name}: ${code} in ${codes.join(' ')}`);
    await page.locator('#timeline').screenshot({ path: join(ARTIFACTS, `timeline-${name}.png`) });
    assertLocal(requests, ui);
    await context.close();
  }
});

/** Every request the page made went to the server that served it (nothing to a CDN, font host or tracker). */
function assertLocal(requests: readonly string[], ui: UiServer): void {
  assert.ok(requests.length >= 4, 'the page, its script, its style and an API call were recorded');
  const foreign = requests.filter((u) => !u.startsWith(`http://127.0.0.1:${ui.port}/`) && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
}
