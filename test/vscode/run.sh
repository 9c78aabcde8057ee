#!/usr/bin/env bash
# The real-VS-Code tests: installs code-server, node 24 and Chromium if missing (apt + npm
# registry only), packages the extension, then runs the extension-host suite and the UI tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/vscode/setup.sh
npm run --silent package >/dev/null
node --import tsx test/vscode/run-ext-tests.ts
node --import tsx test/vscode/run-ui-tests.ts
