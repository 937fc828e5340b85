#!/usr/bin/env bash
# Installs the real peers the interop tests talk to, when missing:
#   Debian: python3-pylsp, clangd-14 (language servers on stdio), python3-websockets, openssl,
#           python3-aiorpcx, python3-jsonrpclib-pelix, nodejs + npm;
#   npm:    tests/peers/package.json into .peers/ at the top of the checkout (git-ignored).
# A peer that cannot be installed makes its tests skip with a visible message; this script
# warns and goes on.
set -uo pipefail
cd "$(dirname "$0")/../.."

DEBS=(python3-pylsp clangd-14 python3-websockets openssl python3-aiorpcx python3-jsonrpclib-pelix)
command -v node >/dev/null || DEBS+=(nodejs)
command -v npm >/dev/null || DEBS+=(npm)
missing=()
for p in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
    echo "Installing test peers: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } ||
        echo "warning: could not install ${missing[*]}; their interop tests will skip" >&2
fi

if command -v npm >/dev/null; then
    mkdir -p .peers
    if ! cmp -s tests/peers/package.json .peers/package.json || [ ! -d .peers/node_modules ]; then
        cp tests/peers/package.json .peers/package.json
        (cd .peers && npm install --no-audit --no-fund --loglevel=error) ||
            echo "warning: npm install failed; the npm peers' interop tests will skip" >&2
    fi
else
    echo "warning: npm is not available; the npm peers' interop tests will skip" >&2
fi
exit 0
