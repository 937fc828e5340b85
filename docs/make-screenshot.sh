#!/bin/sh
# Regenerates docs/screenshot.png (and a 1024x640 one) from the real application: runs the
# rpcbench-screenshot tool (tools/screenshot, the real main window) offscreen, which starts the
# embedded server on a free port, makes a few calls (add 1 + 2 + 3 through the form), waits for
# the replies and the log, and saves the window. Uses throw-away settings; never touches yours.
#
#   docs/make-screenshot.sh [BUILD_DIR]      (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
bin=$build/tools/screenshot/rpcbench-screenshot
if [ ! -x "$bin" ]; then
    echo "make-screenshot: $bin not found; build first: cmake --build $build --target rpcbench-screenshot" >&2
    exit 1
fi
export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='*.debug=false;qt.qpa.*=false'
"$bin" "$here/screenshot.png" 1440x900
"$bin" "$here/screenshot-1024x640.png" 1024x640 # the smallest size the layout is made for
