/**
 * What triage's caches (token verdicts, message translations) let in: an
 * entry is cached on its second sighting, not its first. A log that repeats
 * its tokens and messages (every real one) loses one lookup per distinct
 * value; a log whose every line is new (a hostile one, or a token per
 * request) leaves no cached copies to promote to the old generation and
 * throw away when the cache starts over (measured: 250 MB of such garbage
 * between full collections on a million unique tokens).
 */

/**
 * A hash of 17 characters spread over `s`, its end first: V8 hashes every
 * character of a string used as a Map key, and each line's token is a
 * fresh string (300 characters for HS256, 700 for RS256); sampling costs a
 * twentieth of that. Equal samples must be confirmed by comparing `s`.
 */
export function sampleHash(s: string): number {
  const n = s.length;
  const step = n > 32 ? n >> 4 : 1;
  let h = n;
  for (let i = n - 1; i >= 0; i -= step) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return h;
}

/**
 * `seenBefore(hash)`: true when `hash` was offered since the set last
 * started over (at `max` hashes), and remembers it. Small integers only:
 * nothing of the line is kept.
 */
export function createDoorkeeper(max: number): (hash: number) => boolean {
  const seen = new Set<number>();
  return (hash) => {
    if (seen.has(hash)) return true;
    if (seen.size >= max) seen.clear();
    seen.add(hash);
    return false;
  };
}
