import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW } from '../../helpers/index.ts';
import { timelineInput, timelineState } from '../../../src/ui/page/timeline.ts';

test('timelineState: expired past exp + tolerance, not yet valid before start - tolerance, in between inside the tolerance', () => {
  const t = (now: number, claims: Record<string, unknown> = { iat: NOW, exp: NOW + 3600 }) => timelineState(timelineInput(claims, now, 10));
  assert.equal(t(NOW + 60), 'valid');
  assert.equal(t(NOW + 3605), 'in_tolerance');
  assert.equal(t(NOW + 3610), 'expired');
  assert.equal(t(NOW - 5), 'in_tolerance');
  assert.equal(t(NOW - 11), 'not_yet_valid');
  assert.equal(t(NOW - 11, { iat: NOW - 600, nbf: NOW, exp: NOW + 3600 }), 'not_yet_valid', 'nbf starts the window when present');
  assert.equal(t(NOW, {}), 'no_times');
  assert.equal(t(NOW, { exp: String(NOW - 3600) }), 'no_times', 'a string exp is not a time (malformed_token says so)');
});
