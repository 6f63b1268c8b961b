#!/usr/bin/env bash
# `make bench`: benchmarks on big seeded databases (see bench/ and bench/RESULTS.md).
#   bash scripts/bench.sh --help    for the options (e.g. --db postgres --only load)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/bootstrap.sh dev
bash scripts/services.sh
exec python -m bench "$@"
