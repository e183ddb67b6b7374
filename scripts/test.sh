#!/usr/bin/env bash
# The whole test suite: the Debian packages the tests need (installed when
# missing), typecheck, then every test file under test/ with Node's test
# runner (Node 20's --test takes no globs: the shell expands).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s globstar nullglob

# Debian packages the tests need, one per line: "package binary", where the
# binary on PATH (or in /usr/sbin, /usr/bin) proves the package is installed.
# Add a line when a test needs another one (redis-server, prometheus, chromium).
DEBIAN_PACKAGES=(
  "nginx nginx"
  "redis-server redis-server"
  "prometheus prometheus"
  "chromium chromium"
)

installed() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

# One line naming the package and what to do, then exit: never a page of apt output.
cannot_install() { echo "npm test: the tests need the Debian package $1 (binary $2), which is not installed: $3" >&2; exit 1; }

missing=()
for line in "${DEBIAN_PACKAGES[@]}"; do
  read -r pkg bin <<<"$line"
  installed "$bin" || missing+=("$pkg $bin")
done
if [ ${#missing[@]} -gt 0 ]; then
  read -r pkg bin <<<"${missing[0]}"
  command -v apt-get >/dev/null 2>&1 || cannot_install "$pkg" "$bin" "no apt-get on this machine: install it with your package manager"
  [ "$(id -u)" -eq 0 ] || cannot_install "$pkg" "$bin" "run npm test as root once, or: sudo apt-get install $pkg"
  log=$(mktemp -t jwt-doctor-apt.XXXXXX)
  echo "npm test: installing missing Debian packages: ${missing[*]%% *} (log: $log)" >&2
  apt-get update >"$log" 2>&1 || cannot_install "$pkg" "$bin" "apt-get update failed (log: $log)"
  for entry in "${missing[@]}"; do
    read -r pkg bin <<<"$entry"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >>"$log" 2>&1 && installed "$bin" \
      || cannot_install "$pkg" "$bin" "apt-get install $pkg failed (log: $log)"
  done
fi

npx tsc --noEmit -p .
# ESLint (eslint.config.js): typescript-eslint's recommended rules, functions of
# src/ under 80 lines, the layering of test/architecture.test.ts per directory.
npm run --silent lint
# Prettier (.prettierrc.json; generated files and fixtures in .prettierignore):
# `npm run format` rewrites what this check reports.
npm run --silent format:check
files=(test/**/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then echo "no test files" >&2; exit 1; fi
# The timeout bounds each test file: test/package.test.ts (npm pack, two
# installs, two strict compiles) takes about 3 minutes on a busy 2-core machine.
exec node --import tsx --test --test-concurrency=2 --test-timeout=300000 "${files[@]}"
