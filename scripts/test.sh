#!/usr/bin/env bash
# The whole test suite: typecheck, then every test file under test/ with
# Node's test runner (Node 20's --test takes no globs: the shell expands).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s globstar nullglob
npx tsc --noEmit -p .
files=(test/**/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then echo "no test files" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency=2 --test-timeout=120000 "${files[@]}"
