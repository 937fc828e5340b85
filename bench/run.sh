#!/usr/bin/env bash
# Runs the issue-5 benchmark matrix against `rpcbench serve --log none` and the raw echo
# baseline (`rpcbench bench --echo-server`) in the same run, server pinned to one CPU and the
# load generator to another, and writes docs/BENCHMARKS.md with medians and ratios.
#
# Environment (all optional):
#   RUNS=3            runs per matrix row (the median is reported)
#   BENCH_SECONDS=5   measured seconds per run (after WARMUP)
#   WARMUP=0.5        warm-up seconds per run, excluded from the figures
#   SERVER_CPU=0      CPU the servers are pinned to
#   CLIENT_CPU=1      CPU the load generator is pinned to
#   BUILD_DIR=...     Release build directory (default: build-bench-rel in the source tree)
#   ONLY=tcp|http     run only the rows of one transport (quick checks)
#   PROFILE=1         also profile the server with perf (bench/profile.sh) into the report
#   QUIET_LOAD=0.7    before starting, wait (up to QUIET_WAIT=600 s) until the 1-minute load
#                     average is below this; other work on the CPUs skews every figure
#   PRIORITY=nice     how the servers and the generator are shielded from other work on the
#                     machine: nice (nice -19), fifo (SCHED_FIFO 10 via chrt: other processes
#                     barely run during the measurement; the kernel's RT throttling then shows as
#                     ~50 ms max latencies) or none. Needs root or CAP_SYS_NICE; falls back to none.
#   OUT=...           report path (default docs/BENCHMARKS.md); RESULTS=... keeps raw JSON lines
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench-rel}
RUNS=${RUNS:-3}
BENCH_SECONDS=${BENCH_SECONDS:-5}
WARMUP=${WARMUP:-0.5}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
ONLY=${ONLY:-}
PROFILE=${PROFILE:-0}
PRIORITY=${PRIORITY:-nice}
OUT=${OUT:-$ROOT/docs/BENCHMARKS.md}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-bench.XXXXXX")
RESULTS=${RESULTS:-$WORK/results.jsonl}
PIDS=()
PRIO_CMD=(env)

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }

build() {
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
        log "configuring Release build in $BUILD_DIR"
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    log "building rpcbench (Release)"
    cmake --build "$BUILD_DIR" --target rpcbench -j"${JOBS:-2}" >/dev/null
    BIN="$BUILD_DIR/app/rpcbench"
    [ -x "$BIN" ] || { log "no executable at $BIN"; exit 1; }
}

# start_server NAME CMD... : starts CMD pinned to SERVER_CPU and sets PORT_<NAME> and PID_<NAME>
# from its first stdout line "listening on HOST:PORT".
start_server() {
    local name=$1
    shift
    "${PRIO_CMD[@]}" taskset -c "$SERVER_CPU" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    local pid=$!
    PIDS+=("$pid")
    local port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$WORK/$name.out" | head -n1)
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        log "$name did not start:"
        cat "$WORK/$name.err" >&2
        exit 1
    fi
    printf -v "PORT_$name" '%s' "$port"
    printf -v "PID_$name" '%s' "$pid"
    log "$name listening on port $port (pid $pid, CPU $SERVER_CPU)"
}

cpu_ticks() { # PID -> utime + stime of the process (all threads), in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# run_load ROW TARGET SERVER_PID URL CONNS DEPTH PAYLOAD [extra args]: one measured run, appends
# a JSON line with the generator's figures and the server's CPU use over the whole run.
run_load() {
    local row=$1 target=$2 server_pid=$3 url=$4 conns=$5 depth=$6 payload=$7
    shift 7
    local line ticks0 ticks1 t0 t1
    ticks0=$(cpu_ticks "$server_pid")
    t0=$(date +%s%N)
    if ! line=$("${PRIO_CMD[@]}" taskset -c "$CLIENT_CPU" "$BIN" bench --url "$url" --conns "$conns" --depth "$depth" \
        --payload "$payload" --seconds "$BENCH_SECONDS" --warmup "$WARMUP" --json "$@" 2>"$WORK/load.err"); then
        log "run failed ($row $target): $(cat "$WORK/load.err")"
        line=${line:-'{"ok":false}'}
    fi
    t1=$(date +%s%N)
    ticks1=$(cpu_ticks "$server_pid")
    local server_cpu
    server_cpu=$(python3 -c 'import os, sys; t, n0, n1, w0, w1 = map(int, sys.argv[1:]); print(round(100 * (n1 - n0) / t / ((w1 - w0) / 1e9), 1))' \
        "$(getconf CLK_TCK)" "$ticks0" "$ticks1" "$t0" "$t1")
    printf '{"row":"%s","target":"%s","serverCpuPercent":%s,"result":%s}\n' "$row" "$target" "$server_cpu" "$line" >>"$RESULTS"
    python3 - "$line" "$row" "$target" "$server_cpu" <<'PY' >&2
import json, sys
r = json.loads(sys.argv[1])
print(f"bench:   {sys.argv[2]:<16} {sys.argv[3]:<5} {r.get('callsPerSec', 0):>11,.0f} calls/s  "
      f"p50 {r.get('latencyUs', {}).get('p50', 0)} us  errors {r.get('errors', '?')}  "
      f"generator CPU {r.get('cpuPercent', 0):.0f}%  server CPU {float(sys.argv[4]):.0f}%")
PY
}

# The matrix: ROW TRANSPORT CONNS DEPTH PAYLOAD (issue 5).
MATRIX=(
    "tcp-1x1 tcp 1 1 16"
    "tcp-16x1 tcp 16 1 16"
    "tcp-4x32 tcp 4 32 16"
    "tcp-1x1-64KiB tcp 1 1 65536"
    "http-1x1 http 1 1 16"
    "http-16x1 http 16 1 16"
    "http-4x32 http 4 32 16"
    "http-1x1-64KiB http 1 1 65536"
)

url_for() { # SCHEME PORT
    if [ "$1" = http ]; then echo "http://127.0.0.1:$2/"; else echo "$1://127.0.0.1:$2"; fi
}

main() {
    command -v taskset >/dev/null || { log "taskset is required (util-linux)"; exit 1; }
    select_priority nice fifo none
    build
    wait_for_quiet
    local load_before
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    : >"$RESULTS"
    start_server rpc "$BIN" serve --port 0 --log none
    start_server echo "$BIN" bench --echo-server --port 0
    for run in $(seq 1 "$RUNS"); do
        for spec in "${MATRIX[@]}"; do
            # shellcheck disable=SC2086
            set -- $spec
            local row=$1 scheme=$2 conns=$3 depth=$4 payload=$5
            [ -n "$ONLY" ] && [ "$ONLY" != "$scheme" ] && continue
            log "run $run/$RUNS: $row"
            # Echo first, then the server, back to back, so both see the same machine state.
            # The echo run sends the same request bytes (framing included) as the RPC run.
            run_load "$row" echo "$PID_echo" "$(url_for "$scheme" "$PORT_echo")" "$conns" "$depth" "$payload" --echo
            run_load "$row" rpc "$PID_rpc" "$(url_for "$scheme" "$PORT_rpc")" "$conns" "$depth" "$payload"
        done
    done
    local profile_file=""
    if [ "$PROFILE" = 1 ]; then
        profile_file="$WORK/profile.md"
        PRIO_CMD="${PRIO_CMD[*]}" BIN="$BIN" SERVER_PID="$PID_rpc" PORT="$PORT_rpc" CLIENT_CPU="$CLIENT_CPU" \
            "$ROOT/bench/profile.sh" >"$profile_file" || { log "profiling failed"; profile_file=""; }
    fi
    local load_after
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    mkdir -p "$(dirname "$OUT")"
    python3 "$ROOT/bench/report.py" --results "$RESULTS" --out "$OUT" --runs "$RUNS" \
        --seconds "$BENCH_SECONDS" --warmup "$WARMUP" --server-cpu "$SERVER_CPU" --client-cpu "$CLIENT_CPU" \
        --load-before "$load_before" --load-after "$load_after" --priority "$PRIORITY" \
        --command "RUNS=$RUNS BENCH_SECONDS=$BENCH_SECONDS WARMUP=$WARMUP PRIORITY=$PRIORITY PROFILE=$PROFILE${ONLY:+ ONLY=$ONLY} bench/run.sh" \
        ${profile_file:+--profile "$profile_file"}
    log "wrote $OUT"
}

main "$@"
