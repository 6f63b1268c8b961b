#!/usr/bin/env bash
# `make lint`: ruff (lint + format check) and pyright (basic) — settings in pyproject.toml.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/bootstrap.sh dev >/dev/null || exit 1
status=0
echo "==> ruff check"; ruff check . --output-format concise || status=1
echo "==> ruff format --check"; ruff format --check . || status=1
echo "==> pyright (booktracker/)"; pyright || status=1
exit $status
