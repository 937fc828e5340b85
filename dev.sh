#!/usr/bin/env bash
# One entry point for people and CI:
#   ./dev.sh app    install build dependencies if missing, build, launch the app
#   ./dev.sh test   install build dependencies if missing, build, run the whole test suite
# Extra arguments after "app" are passed to rpcbench (e.g. ./dev.sh app serve --port 0).
set -euo pipefail
cd "$(dirname "$0")"

# ccache: key objects by paths relative to the checkout, so a fresh clone elsewhere (CI)
# reuses what an earlier build compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
PACKAGES=(cmake ninja-build g++ qt6-base-dev qt6-svg-dev qt6-declarative-dev qt6-websockets-dev qt6-charts-dev qt6-tools-dev qt6-l10n-tools libgl-dev python3 ccache)

install_deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

build() {
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

cmd=${1:-app}
shift || true
case "$cmd" in
app)
    install_deps
    build
    exec "$BUILD_DIR/app/rpcbench" "$@"
    ;;
test)
    install_deps
    tests/peers/install.sh # real peers for the interop tests (Debian and npm); warns, never fails
    build
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" "$@"
    ;;
*)
    echo "usage: $0 app|test" >&2
    exit 64
    ;;
esac
