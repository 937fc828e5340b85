#!/usr/bin/env bash
# Profiles a running `rpcbench serve` with perf (software cpu-clock sampling, which also works
# in VMs without hardware counters) while `rpcbench bench` loads it, and prints a Markdown
# section: time per library and the top functions by self time, per load case.
#
# Called by bench/run.sh with PROFILE=1, or by hand:
#   BIN=build-bench-rel/app/rpcbench SERVER_PID=1234 PORT=5000 bench/profile.sh
# Environment: PROFILE_SECONDS=4, CLIENT_CPU=1, TOP=25, PROFILE_CASES="tcp-16x1 tcp-4x32 http-16x1"
set -eu # no pipefail: `perf report | head` ends pipes early on purpose

: "${BIN:?BIN=path to rpcbench}" "${SERVER_PID:?SERVER_PID=pid of rpcbench serve}" "${PORT:?PORT=its port}"
PROFILE_SECONDS=${PROFILE_SECONDS:-4}
CLIENT_CPU=${CLIENT_CPU:-1}
TOP=${TOP:-25}
PROFILE_CASES=${PROFILE_CASES:-"tcp-16x1 tcp-4x32 tcp-1x1-64KiB http-16x1"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-profile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

command -v perf >/dev/null || { echo "profile: perf not found" >&2; exit 1; }

case_args() { # NAME -> URL CONNS DEPTH PAYLOAD
    case $1 in
    tcp-1x1) echo "tcp://127.0.0.1:$PORT 1 1 16" ;;
    tcp-16x1) echo "tcp://127.0.0.1:$PORT 16 1 16" ;;
    tcp-4x32) echo "tcp://127.0.0.1:$PORT 4 32 16" ;;
    tcp-1x1-64KiB) echo "tcp://127.0.0.1:$PORT 1 1 65536" ;;
    http-16x1) echo "http://127.0.0.1:$PORT/ 16 1 16" ;;
    http-4x32) echo "http://127.0.0.1:$PORT/ 4 32 16" ;;
    *) echo "profile: unknown case $1" >&2; return 1 ;;
    esac
}

# perf report | head closes the pipe early: never let that (pipefail) end the script.
report() { perf report -i "$WORK/perf.data" --stdio "$@" 2>/dev/null | grep -v '^#' | grep -v '^$' || true; }

echo "## Server profile"
echo
echo "\`perf record -e cpu-clock -F 1999 --call-graph dwarf\` on the \`rpcbench serve\` process (all threads)" \
    "for ${PROFILE_SECONDS} s of each load case, Release build. Percentages are of the samples taken, i.e. of" \
    "the time the server was on a CPU. Qt has no debug symbols here: its internal functions show as addresses" \
    "or as the nearest exported symbol, so read Qt self-time by library rather than by name."
for name in $PROFILE_CASES; do
    read -r url conns depth payload <<<"$(case_args "$name")"
    # shellcheck disable=SC2086
    ${PRIO_CMD:-env} taskset -c "$CLIENT_CPU" "$BIN" bench --url "$url" --conns "$conns" --depth "$depth" --payload "$payload" \
        --seconds "$((PROFILE_SECONDS + 1))" --warmup 0.5 --json >"$WORK/load.json" 2>"$WORK/load.err" &
    load_pid=$!
    sleep 0.8
    perf record -q -e cpu-clock -F 1999 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$WORK/perf.data" \
        -- sleep "$PROFILE_SECONDS" >/dev/null 2>"$WORK/perf.err" || { cat "$WORK/perf.err" >&2; exit 1; }
    wait "$load_pid" || true
    rate=$(python3 -c 'import json, sys; print("{:,.0f}".format(json.load(open(sys.argv[1]))["callsPerSec"]))' \
        "$WORK/load.json" 2>/dev/null || echo "?")
    echo
    echo "### $name ($conns conns × depth $depth, payload $payload B: $rate calls/s while profiled)"
    echo
    echo "Self time by library:"
    echo
    echo '```'
    report --no-children --sort dso -g none | head -n 8
    echo '```'
    echo
    echo "Top $TOP functions by self time:"
    echo
    echo '```'
    report --no-children --sort dso,sym -g none | head -n "$TOP" | cut -c1-140
    echo '```'
    echo
    echo "Inclusive time (callees included) of the server's functions, JSON, allocation and syscalls:"
    echo
    echo '```'
    report --children --sort sym -g none |
        grep -E 'rpcbench::|QJson|QCbor|malloc|free|ksys_(read|write)|do_sys_poll|QSocketNotifier|TrafficBus' |
        head -n "$TOP" | cut -c1-140
    echo '```'
done
