#!/usr/bin/env bash
# Installs the Botkit peer of BENCHMARKS.md into bench/botkit/node_modules
# (npm, from the registry; versions pinned in bench/botkit/package.json).
# Then: go run ./cmd/supportbench -peer
set -euo pipefail
cd "$(dirname "$0")/botkit"
command -v node >/dev/null || { echo "node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
# botbuilder-dialogs runs "npx rimraf" after install: let npx fetch it without asking.
npm_config_yes=true npm install --no-audit --no-fund --omit=dev
node -e 'require("botkit"); require("botbuilder-adapter-web"); console.log("botkit", require("botkit/package.json").version, "botbuilder-adapter-web", require("botbuilder-adapter-web/package.json").version)'
