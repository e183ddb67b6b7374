#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader (a runtime dependency).
import { register } from 'tsx/esm/api';
register();
const { main, handleError } = await import('../src/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = handleError(e); },
);
