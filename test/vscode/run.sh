#!/usr/bin/env bash
# The real-VS-Code tests (CI entry, `npm run test:vscode`): installs code-server, node 24 and
# Chromium if missing (apt + npm registry only), builds, then runs the extension-host suite
# and the UI tests (which package the .vsix themselves). Both run even if the first fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash test/vscode/setup.sh || exit 1
npm run --silent build || exit 1
status=0
node --import tsx test/vscode/run-ext-tests.ts || status=1
node --import tsx test/vscode/run-ui-tests.ts "$@" || status=1
exit $status
