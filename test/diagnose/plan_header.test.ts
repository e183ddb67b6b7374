/**
 * planHeader: everything decided from the JOSE header alone, pure and
 * computed once per distinct header (src/diagnose/plan_header.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderPlans, planContext, planHeader, weakKeyWarning } from '../../src/diagnose/plan_header.ts';
import { importJwk, importSecretText } from '../../src/keys/import.ts';
import { getAlgorithm } from '../../src/keys/algorithms.ts';
import { makeFinding } from '../../src/reasons.ts';
import { makeKey } from '../helpers/mint.ts';
import { codes } from '../helpers/index.ts';

const rs = makeKey('RS256', { kid: 'rs-1' });
const rsKey = importJwk({ ...rs.publicJwk, kid: 'rs-1' }, { kind: 'jwk' });

test('an allowed alg with a matching kid: one candidate, pass report ready, no findings', () => {
  const plan = planHeader({ alg: 'RS256', kid: 'rs-1' }, planContext({ algorithms: ['RS256'] }, [rsKey], []));
  assert.deepEqual(plan.findings, []);
  assert.equal(plan.alg?.name, 'RS256');
  assert.equal(plan.candidates.length, 1);
  assert.equal(plan.passReports[0]!.status, 'pass');
  assert.equal(plan.passReports[0]!.kid, 'rs-1');
  assert.equal(plan.failReport.status, 'fail');
});

test('alg none and algorithm confusion are named from the header; none is never allowed', () => {
  const ctx = planContext({ algorithms: ['RS256', 'none'] }, [rsKey], []);
  assert.deepEqual(ctx.allowedList, ['RS256']);
  assert.deepEqual(codes(planHeader({ alg: 'none' }, ctx).findings), ['alg_none']);
  const confused = planHeader({ alg: 'HS256', kid: 'rs-1' }, ctx);
  assert.deepEqual(codes(confused.findings), ['alg_not_allowed']);
  assert.equal(confused.candidates.length, 0);
});

test('findings in order: key references, keys, typ', () => {
  const plan = planHeader(
    { alg: 'RS256', kid: 'other', jku: 'https://evil.example/jwks', typ: 'at+jwt' },
    planContext({ typ: 'JWT' }, [rsKey], []),
  );
  assert.deepEqual(codes(plan.findings), ['untrusted_key_reference', 'key_not_found', 'typ_mismatch']);
});

test('a failed key source replaces key_not_found when no key is left; with candidates it waits for the signature', () => {
  const down = makeFinding('jwks_unreachable', { detail: { error: 'timeout' } });
  const none = planHeader({ alg: 'RS256', kid: 'rs-1' }, planContext({}, [], [down]));
  assert.deepEqual(codes(none.findings), ['jwks_unreachable']);
  const some = planHeader({ alg: 'RS256', kid: 'rs-1' }, planContext({}, [rsKey], [down]));
  assert.deepEqual(some.findings, []);
  assert.deepEqual(codes(some.sourceFindings), ['jwks_unreachable']);
  assert.equal(some.sourceFindingsVerified[0]!.severity, 'warning');
  assert.equal(some.sourceFindingsVerified[0]!.detail!.tokenVerifiedByAnotherKey, true);
});

test('weak keys: a short HMAC secret is a weak_key warning per candidate', () => {
  const short = importSecretText('short-secret', 'utf8', { kind: 'secret', location: 'literal' });
  assert.equal(weakKeyWarning(short, getAlgorithm('HS256')!)?.code, 'weak_key');
  assert.equal(weakKeyWarning(rsKey, getAlgorithm('RS256')!), undefined);
  const plan = planHeader({ alg: 'HS256' }, planContext({ algorithms: ['HS256'] }, [short], []));
  assert.equal(plan.weak[0]?.code, 'weak_key');
});

test('HeaderPlans plans a frozen header once', () => {
  const plans = new HeaderPlans(planContext({}, [rsKey], []));
  const header = Object.freeze({ alg: 'RS256', kid: 'rs-1' });
  assert.equal(plans.planFor(header), plans.planFor(header));
  const loose = { alg: 'RS256', kid: 'rs-1' };
  assert.notEqual(plans.planFor(loose), plans.planFor(loose));
});
