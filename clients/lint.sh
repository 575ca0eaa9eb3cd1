#!/usr/bin/env bash
# Lints clients/openapi.json, the document the service serves (a test and clients/regenerate.sh --check keep them equal),
# with Redocly's recommended rules (clients/redocly.yaml). Installs the pinned Redocly CLI from the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error > /dev/null
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --no-install redocly lint openapi.json --config redocly.yaml --format stylish
