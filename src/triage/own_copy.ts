/**
 * `s` in a string of its own. A string read from a log line is often a
 * slice of the decoded chunk (a megabyte) it came from; kept as a Map key
 * (unlike an object key, which V8 internalizes into a copy) the slice
 * would keep that whole chunk alive for as long as the entry lives.
 */
export const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
