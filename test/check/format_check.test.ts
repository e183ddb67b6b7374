/**
 * The formatters of check: the guide's six post-fix lines exactly when
 * every check passes, the extra lines only when they ran, per-client
 * sections, JUnit XML parsed back (fast-xml-parser) and checked for its
 * structure, Markdown tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatCheckJunit, formatCheckMarkdown, formatCheckText } from '../../src/check/format_check.ts';
import { CHECK_SCHEMA, type CheckLine, type CheckReport, type ClientCheck } from '../../src/check/run_check.ts';
import { makeFinding } from '../../src/reasons.ts';

const pass = (name: CheckLine['name'], extra: Partial<CheckLine> = {}): CheckLine => ({ name, status: 'pass', evidence: {}, ...extra });
const skip = (name: CheckLine['name']): CheckLine => ({ name, status: 'skip', evidence: { reason: 'not configured' } });

function client(name: string | null, lines: CheckLine[]): ClientCheck {
  return { client: name, lines, status: lines.some((l) => l.status === 'fail') ? 'unstable' : 'stable' };
}

function report(clients: ClientCheck[], findings = [] as CheckReport['findings']): CheckReport {
  return {
    schema: CHECK_SCHEMA,
    env: 'staging',
    status: clients.every((c) => c.status === 'stable') ? 'stable' : 'unstable',
    clients,
    findings,
  };
}

/** What runCheck gives an environment with no policy, api or production flag, all passing. */
const simple = (): CheckLine[] => [
  pass('token', { evidence: { source: 'client_credentials' } }),
  pass('signature'),
  pass('issuer'),
  pass('audience'),
  skip('lifetime'),
  pass('clock_skew_seconds', { value: 10, tolerance: 30 }),
  skip('header_propagation'),
  skip('environment_isolation'),
  pass('refresh_flow'),
];

test('all passing: exactly the guide post-fix report, six lines', () => {
  assert.equal(
    formatCheckText(report([client(null, simple())])),
    ['signature = pass', 'issuer = pass', 'audience = pass', 'clock_skew_seconds = 10', 'refresh_flow = pass', 'status = stable', ''].join(
      '\n',
    ),
  );
});

test('failing lines carry their code, the clock line its tolerance; findings follow the status', () => {
  const lines = simple().map((l) =>
    l.name === 'issuer'
      ? { ...l, status: 'fail' as const, code: 'issuer_mismatch' as const }
      : l.name === 'clock_skew_seconds'
        ? { ...l, status: 'fail' as const, value: 31, code: 'clock_offset_exceeds_tolerance' as const }
        : l,
  );
  const text = formatCheckText(report([client(null, lines)], [makeFinding('issuer_mismatch')])).split('\n');
  assert.ok(text.includes('issuer = fail issuer_mismatch'));
  assert.ok(text.includes('clock_skew_seconds = 31 fail clock_offset_exceeds_tolerance tolerance=30'));
  const status = text.indexOf('status = unstable');
  assert.ok(status > 0 && text.slice(status + 1).some((l) => l.includes('issuer_mismatch')));
});

test('extra lines print when they ran; token only when it fails', () => {
  const lines = simple().map((l) =>
    l.name === 'lifetime' || l.name === 'header_propagation'
      ? pass(l.name)
      : l.name === 'token'
        ? { ...l, status: 'fail' as const, code: 'typ_mismatch' as const }
        : l,
  );
  const names = formatCheckText(report([client(null, lines)]))
    .split('\n')
    .filter((l) => l.includes(' = '))
    .map((l) => l.split(' = ')[0]);
  assert.deepEqual(names, [
    'token',
    'signature',
    'issuer',
    'audience',
    'lifetime',
    'clock_skew_seconds',
    'header_propagation',
    'refresh_flow',
    'status',
  ]);
});

test('several clients: a section each with its status, the environment status last', () => {
  const mobile = simple().map((l) =>
    l.name === 'refresh_flow' ? { ...l, status: 'fail' as const, code: 'refresh_too_late' as const } : l,
  );
  const text = formatCheckText(report([client('web', simple()), client('mobile', mobile)]))
    .trimEnd()
    .split('\n');
  assert.equal(text[0], '# client web');
  const mobileAt = text.indexOf('# client mobile');
  assert.ok(mobileAt > 0);
  assert.equal(text[mobileAt - 2], 'status = stable');
  assert.ok(text.includes('refresh_flow = fail refresh_too_late'));
  assert.equal(text.filter((l) => l === 'status = unstable').length, 2);
  assert.equal(text.at(-1), 'status = unstable');
});

function parseJunit(xml: string) {
  assert.equal(XMLValidator.validate(xml), true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml);
  return parsed.testsuites as {
    tests: string;
    failures: string;
    skipped: string;
    testsuite: {
      name: string;
      tests: string;
      failures: string;
      testcase: { name: string; classname: string; failure?: { type: string; '#text': string }; skipped?: unknown }[];
    }[];
  };
}

test('JUnit: one suite per client, one testcase per check, failures typed by reason code with the evidence', () => {
  const mobile = simple().map((l) =>
    l.name === 'refresh_flow'
      ? { ...l, status: 'fail' as const, code: 'refresh_too_late' as const, evidence: { marginMs: -15000, note: '<&">' } }
      : l,
  );
  const suites = parseJunit(formatCheckJunit(report([client('web', simple()), client('mobile', mobile)])));
  assert.equal(suites.testsuite.length, 2);
  assert.deepEqual([suites.tests, suites.failures, suites.skipped], ['18', '1', '6']);
  const [web, mob] = suites.testsuite;
  assert.equal(web!.name, 'staging/web');
  assert.deepEqual(
    web!.testcase.map((t) => t.name),
    simple().map((l) => l.name),
  );
  assert.equal(mob!.failures, '1');
  const failed = mob!.testcase.find((t) => t.failure !== undefined)!;
  assert.equal(failed.name, 'refresh_flow');
  assert.equal(failed.classname, 'jwt-doctor.check.staging.mobile');
  assert.equal(failed.failure!.type, 'refresh_too_late');
  assert.deepEqual(JSON.parse(failed.failure!['#text']).evidence, { marginMs: -15000, note: '<&">' });
  assert.equal(mob!.testcase.filter((t) => t.skipped !== undefined).length, 3);
});

test('Markdown: a table per client with code cells, then the findings', () => {
  const mobile = simple().map((l) => (l.name === 'audience' ? { ...l, status: 'fail' as const, code: 'audience_mismatch' as const } : l));
  const md = formatCheckMarkdown(
    report([client('web', simple()), client('mobile', mobile)], [makeFinding('audience_mismatch', { detail: { client: 'mobile' } })]),
  );
  const rows = md.split('\n').filter((l) => l.startsWith('| audience |'));
  assert.deepEqual(
    rows.map((r) => r.split('|').map((c) => c.trim())[2]),
    ['pass', 'fail'],
  );
  assert.ok(rows[1]!.includes('`audience_mismatch`'));
  assert.ok(md.includes('### client mobile: unstable'));
  assert.match(md, /### Findings\n\n- `audience_mismatch`/);
});

test('compact: the guide six lines even when lifetime and header propagation passed; a failing extra line still shows', () => {
  const extras = simple().map((l) => (l.name === 'lifetime' || l.name === 'header_propagation' ? pass(l.name) : l));
  assert.equal(formatCheckText(report([client(null, extras)]), { compact: true }).split('\n').length, 7);
  const failing = extras.map((l) =>
    l.name === 'header_propagation' ? { ...l, status: 'fail' as const, code: 'header_missing' as const } : l,
  );
  assert.ok(formatCheckText(report([client(null, failing)]), { compact: true }).includes('header_propagation = fail header_missing\n'));
});
