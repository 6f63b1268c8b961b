#!/usr/bin/env bash
# `make test`: the whole suite. Services and state tests run on SQLite, then
# again on PostgreSQL; browser tests run in their own pytest process (Reflex's
# AppHarness reloads modules, which breaks state classes shared with unit tests).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/bootstrap.sh dev || exit 1
scripts/services.sh || exit 1

PG_URL=${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/trackmyread_test}
status=0
run() { echo; echo "==> $1"; shift; "$@" || status=1; }
run "unit tests on SQLite" env -u DATABASE_URL python -m pytest tests --ignore=tests/e2e -q "$@"
run "unit tests on PostgreSQL" env DATABASE_URL="$PG_URL" python -m pytest tests --ignore=tests/e2e -q "$@"
run "browser tests (chromium)" python -m pytest tests/e2e -q "$@"
echo
[ $status = 0 ] && echo "ALL TEST RUNS PASSED" || echo "SOME TEST RUNS FAILED"
exit $status
