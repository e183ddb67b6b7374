/**
 * translateMessage for triage, remembered per distinct message: a log
 * repeats a handful of messages ("request", "Jwt is expired") on millions
 * of lines, and the table's keyword scan costs more than the rest of a
 * line's work. Bounded: messages longer than MAX_CACHED_MESSAGE_CHARS (most
 * likely unique) are translated each time, a message is cached on its
 * second sighting (doorkeeper.ts), and the cache starts over when it holds
 * MAX_CACHED_MESSAGES.
 */
import { translateMessage, type Translation } from '../explain/translate.ts';
import { createDoorkeeper, sampleHash } from './doorkeeper.ts';
import { ownCopy } from './own_copy.ts';

export const MAX_CACHED_MESSAGES = 4096;
export const MAX_CACHED_MESSAGE_CHARS = 512;

export interface MessageCodes {
  /** translateMessage(message), from the cache when it was seen before. */
  translate(message: string): Translation | undefined;
}

export function createMessageCodes(): MessageCodes {
  const cache = new Map<string, Translation | null>();
  const seenBefore = createDoorkeeper(MAX_CACHED_MESSAGES);
  return {
    translate(message) {
      if (message.length > MAX_CACHED_MESSAGE_CHARS) return translateMessage(message);
      const known = cache.get(message);
      if (known !== undefined) return known ?? undefined;
      const t = translateMessage(message);
      if (!seenBefore(sampleHash(message))) return t;
      if (cache.size >= MAX_CACHED_MESSAGES) cache.clear();
      cache.set(ownCopy(message), t ?? null);
      return t;
    },
  };
}
