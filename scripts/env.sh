# Sourced by the scripts: where the tools live and how Reflex should find them.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$ROOT/.tools/node_modules/.bin:$PATH"
# Reflex would try to download bun from the internet; we install it from npm.
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
