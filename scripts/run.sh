#!/usr/bin/env bash
# `make run`: set up, migrate the local database, start Reflex with hot reload.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/bootstrap.sh
python -m booktracker.migrations
exec reflex run "$@"
