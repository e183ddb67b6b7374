/**
 * `explain`'s answer: a translated message joined with the registry's
 * owner and fix direction and the command to run next. Pure: the CLI
 * formats it, the web UI can return it as it is.
 */
import { REASONS, type OwnerRole } from '../reasons.ts';
import { nextCommand } from './next_command.ts';
import { translateMessage, type Translation } from './translate.ts';

export const EXPLAIN_SCHEMA = 'jwt-doctor/explain/v1';

export interface Explanation extends Translation {
  schema: typeof EXPLAIN_SCHEMA;
  /** The registry's one-line title of the code. */
  title: string;
  owner: OwnerRole;
  /** The registry's fix direction. */
  fix: string;
  /** The jwt-doctor command that proves the cause. */
  next: string;
}

/**
 * Explains another verifier's message, or undefined when the table does
 * not know it (never a guess).
 *
 * @example explainMessage('Jwt is expired')?.next // 'jwt-doctor diagnose TOKEN --env ENV'
 */
export function explainMessage(text: string): Explanation | undefined {
  const t = translateMessage(text);
  if (t === undefined) return undefined;
  const reason = REASONS[t.code];
  return { schema: EXPLAIN_SCHEMA, ...t, title: reason.title, owner: reason.owner, fix: reason.hint, next: nextCommand(t.code) };
}
