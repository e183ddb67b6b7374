// The flag parsers moved to src/cli/flags.ts (one home for every command);
// kept as re-exports for code that still imports them from here.
export { parseInstantFlag, parseNowFlag, parseNumberFlag, parseUrlFlag } from '../cli/flags.ts';
