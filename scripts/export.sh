#!/usr/bin/env bash
# Static frontend export for Vercel-style hosting.
#   API_URL=https://trackmyread-api.onrender.com bash scripts/export.sh
# The backend URL is baked into the build (https -> wss for the websocket).
# Output: .web/build/client (see vercel.json).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
: "${API_URL:?Set API_URL to the public URL of the backend, e.g. https://trackmyread-api.onrender.com}"
scripts/bootstrap.sh
REFLEX_API_URL="$API_URL" API_URL="$API_URL" reflex export --frontend-only --no-zip
# The service worker's cache is named after this build (assets/sw.js); robots.txt names the sitemap.
API_URL="$API_URL" python scripts/finish_export.py "${REFLEX_WEB_WORKDIR:-.web}/build/client"
echo "Static site ready in ${REFLEX_WEB_WORKDIR:-.web}/build/client (backend: $API_URL)"
