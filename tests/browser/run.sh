#!/usr/bin/env bash
# Opens factlint's HTML report in Debian's chromium (headless, driven by
# playwright-core) and checks it through the DOM: every diagnostic
# highlighted with its text, the escaping probe inert, no network request,
# keyboard and filters working, and the 1,000-article report's size and load
# time. Screenshots and numbers land in target/browser/.
#
# Kept out of `cargo test`, which must pass offline without a browser.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y chromium
  else
    echo "tests/browser: /usr/bin/chromium is missing; install Debian's chromium package (apt-get install chromium)" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund

if [ -z "${FACTLINT:-}" ]; then
  (cd "$root" && cargo build --locked)
  export FACTLINT="$root/target/debug/factlint"
fi

node --test --test-concurrency=1 report.test.mjs scale.test.mjs
