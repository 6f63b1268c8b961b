#!/usr/bin/env bash
# Idempotent set-up: Python venv with pinned deps, and bun from the npm registry.
# Usage: scripts/bootstrap.sh [dev]   ("dev" adds test tools and chromium)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
BUN_VERSION=1.4.5

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
reqs=requirements.txt
[ "${1:-}" = dev ] && reqs=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements*.txt | sha1sum | cut -c1-12)-$reqs"
if [ ! -f "$stamp" ]; then
  echo "==> installing Python packages from $reqs"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$reqs"
  touch "$stamp"
fi

if ! command -v bun >/dev/null 2>&1; then
  echo "==> installing bun $BUN_VERSION from the npm registry"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "bun@$BUN_VERSION"
fi

# Accessibility checks in the browser tests use axe-core from the npm registry.
AXE_VERSION=4.11.0
if [ "${1:-}" = dev ] && [ ! -f .tools/node_modules/axe-core/axe.min.js ]; then
  echo "==> installing axe-core $AXE_VERSION from the npm registry"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

# The Radix Themes purge (booktracker/radix_themes_purge.cjs) is tested on its own with PostCSS,
# the version Reflex's frontend build resolves.
POSTCSS_VERSION=8.5.30
if [ "${1:-}" = dev ] && [ ! -f .tools/node_modules/postcss/package.json ]; then
  echo "==> installing postcss $POSTCSS_VERSION from the npm registry"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "postcss@$POSTCSS_VERSION"
fi

# Browser tests: Debian's chromium, and fonts so screenshots show every script in the messy data:
# emoji (emotions), CJK (Japanese names showed as empty boxes; fonts-wqy-microhei is the smallest
# Debian font with Japanese, Chinese and Korean: 1.6 MB download, 5 MB installed, against 56/91 MB
# for fonts-noto-cjk) and Arabic (DejaVu Sans). tests/e2e/visual_checks.js fails on a missing glyph.
fonts="fonts-noto-color-emoji fonts-wqy-microhei fonts-dejavu-core"
if [ "${1:-}" = dev ] && { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ] \
  || [ ! -d /usr/share/fonts/truetype/wqy ] || [ ! -d /usr/share/fonts/truetype/dejavu ]; }; then
  echo "==> installing chromium and $fonts (Debian packages) for the browser tests"
  sudo_if_needed=""
  [ "$(id -u)" = 0 ] || sudo_if_needed=sudo
  $sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq chromium $fonts >/dev/null
fi
