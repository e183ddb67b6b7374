/**
 * The reason codes of a result, in order: what most assertions compare
 * (tests assert codes and structured fields, not message text).
 *
 * @example assert.deepEqual(codes(diagnoser.diagnose(token, { now: NOW })), ['token_expired']);
 */
interface Coded<C extends string> {
  readonly code: C;
}

export function codes<C extends string>(from: { readonly findings: readonly Coded<C>[] } | readonly Coded<C>[]): C[] {
  const list: readonly Coded<C>[] = 'findings' in from ? from.findings : from;
  return list.map((f) => f.code);
}
