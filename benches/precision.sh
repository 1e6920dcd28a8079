#!/usr/bin/env bash
# How often each rule fires per 100,000 words of real English prose, with
# samples: builds the release binary, then runs benches/precision.py (Python
# standard library; fetches its prose with pip into target/precision/).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" cargo build --release --quiet
exec python3 benches/precision.py "$@"
