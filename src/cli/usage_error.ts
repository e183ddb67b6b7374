// The usage error and the exit codes live in the one error hierarchy
// (src/errors.ts); re-exported for the CLI modules that import them from here.
export { EXIT, UsageError } from '../errors.ts';
