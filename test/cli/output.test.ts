/** Colour only on a TTY and never with NO_COLOR (or TERM=dumb). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useColor } from '../../src/cli/common.ts';
import { renderDiagnosis } from '../../src/cli/output.ts';
import { buildDiagnoser } from '../../src/diagnose.ts';

function withEnv(tty: boolean, env: Record<string, string | undefined>, fn: () => void) {
  const saved = { tty: process.stdout.isTTY, NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
  try {
    (process.stdout as { isTTY?: boolean }).isTTY = tty;
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fn();
  } finally {
    (process.stdout as { isTTY?: boolean }).isTTY = saved.tty;
    for (const k of ['NO_COLOR', 'TERM'] as const) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

test('useColor: TTY without NO_COLOR only', () => {
  const d = buildDiagnoser({}, { keys: [] }).diagnose('', { now: 0 });
  withEnv(true, { NO_COLOR: undefined, TERM: 'xterm' }, () => {
    assert.equal(useColor(), true);
    assert.ok(renderDiagnosis(d, 'text', false).includes('\u001b['));
  });
  withEnv(true, { NO_COLOR: '1', TERM: 'xterm' }, () => assert.equal(useColor(), false));
  withEnv(true, { NO_COLOR: '', TERM: 'xterm' }, () => assert.equal(useColor(), false));
  withEnv(true, { NO_COLOR: undefined, TERM: 'dumb' }, () => assert.equal(useColor(), false));
  withEnv(false, { NO_COLOR: undefined, TERM: 'xterm' }, () => {
    assert.equal(useColor(), false);
    assert.ok(!renderDiagnosis(d, 'text', false).includes('\u001b['));
  });
  // JSON and markdown never carry colour.
  withEnv(true, { NO_COLOR: undefined, TERM: 'xterm' }, () => {
    assert.ok(!renderDiagnosis(d, 'json', false).includes('\u001b['));
    assert.ok(!renderDiagnosis(d, 'markdown', false).includes('\u001b['));
  });
});
