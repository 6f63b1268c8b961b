#!/usr/bin/env bash
# `make test`: the whole suite. Lint and types first (ruff, pyright); then services and state tests run on SQLite, then
# again on PostgreSQL; browser tests and the production set-up run in their own
# pytest processes (Reflex's AppHarness reloads modules, which breaks state
# classes shared with unit tests).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/bootstrap.sh dev || exit 1
scripts/services.sh || exit 1

PG_URL=${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/trackmyread_test}
status=0
run() { echo; echo "==> $1"; shift; "$@" || status=1; }
UNIT=(tests --ignore=tests/e2e --ignore=tests/e2e_export --ignore=tests/deploy -q)
run "lint: ruff and pyright (make lint)" bash scripts/lint.sh
run "unit tests on SQLite" env -u DATABASE_URL python -m pytest "${UNIT[@]}" "$@"
run "unit tests on PostgreSQL" env DATABASE_URL="$PG_URL" python -m pytest "${UNIT[@]}" "$@"
run "browser tests (chromium)" env -u DATABASE_URL python -m pytest tests/e2e -q -p no:logging "$@"
run "installable app on the static export (chromium)" env -u DATABASE_URL python -m pytest tests/e2e_export -q -p no:logging "$@"
run "production set-up (gunicorn x2, Redis, PostgreSQL, static export)" env -u DATABASE_URL python -m pytest tests/deploy -q -p no:logging "$@"
echo
[ $status = 0 ] && echo "ALL TEST RUNS PASSED" || echo "SOME TEST RUNS FAILED"
exit $status
