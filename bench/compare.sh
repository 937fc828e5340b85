#!/usr/bin/env bash
# Before/after check for a change: runs the benchmark matrix of bench/run.sh against two builds
# of `rpcbench serve --log none` in the same run — BASE (e.g. the commit before a refactoring)
# and NEW — alternating per row so both see the same machine state, and prints a Markdown
# table of medians and NEW/BASE ratios (append it to docs/BENCHMARKS.md). The load generator
# is NEW's for both, so only the server differs.
#
#   BASE=/path/to/old/rpcbench NEW=build-rel/app/rpcbench bench/compare.sh
#
# Environment: RUNS=3, BENCH_SECONDS=3, WARMUP=0.5, SERVER_CPU=0, CLIENT_CPU=1, PRIORITY=nice,
# QUIET_LOAD (see bench/common.sh), ONLY=tcp|http.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
BASE=${BASE:?BASE=path of the baseline rpcbench binary}
NEW=${NEW:?NEW=path of the rpcbench binary to compare}
RUNS=${RUNS:-3}
BENCH_SECONDS=${BENCH_SECONDS:-3}
WARMUP=${WARMUP:-0.5}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PRIORITY=${PRIORITY:-nice}
ONLY=${ONLY:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-compare.XXXXXX")
PIDS=()
PRIO_CMD=(env)
log() { echo "compare: $*" >&2; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

start_server() { # NAME BIN -> PORT_NAME
    local name=$1 bin=$2 port=""
    "${PRIO_CMD[@]}" taskset -c "$SERVER_CPU" "$bin" serve --port 0 --log none >"$WORK/$name.out" 2>"$WORK/$name.err" &
    PIDS+=("$!")
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$WORK/$name.out" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { log "$name did not start: $(cat "$WORK/$name.err")"; exit 1; }
    printf -v "PORT_$name" '%s' "$port"
}

MATRIX=(
    "tcp-1x1 tcp 1 1 16"
    "tcp-16x1 tcp 16 1 16"
    "tcp-4x32 tcp 4 32 16"
    "tcp-1x1-64KiB tcp 1 1 65536"
    "http-16x1 http 16 1 16"
    "http-4x32 http 4 32 16"
)

select_priority nice fifo none
wait_for_quiet
start_server base "$BASE"
start_server new "$NEW"
results=$WORK/results.jsonl
for run in $(seq 1 "$RUNS"); do
    for spec in "${MATRIX[@]}"; do
        # shellcheck disable=SC2086
        set -- $spec
        [ -n "$ONLY" ] && [ "$ONLY" != "$2" ] && continue
        for target in base new; do
            port_var=PORT_$target
            url="$2://127.0.0.1:${!port_var}"
            [ "$2" = http ] && url="http://127.0.0.1:${!port_var}/"
            line=$("${PRIO_CMD[@]}" taskset -c "$CLIENT_CPU" "$NEW" bench --url "$url" --conns "$3" --depth "$4" \
                --payload "$5" --seconds "$BENCH_SECONDS" --warmup "$WARMUP" --json 2>"$WORK/load.err") ||
                { log "run failed ($1 $target): $(cat "$WORK/load.err")"; line='{"callsPerSec":0}'; }
            printf '{"row":"%s","target":"%s","result":%s}\n' "$1" "$target" "$line" >>"$results"
            log "run $run/$RUNS $1 $target: $(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1]).get("callsPerSec",0)))' "$line") calls/s"
        done
    done
done
python3 - "$results" "$RUNS" "$BENCH_SECONDS" "$PRIORITY" <<'PY'
import json, statistics, sys
rows, order = {}, []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["row"] not in rows:
        rows[r["row"]] = {"base": [], "new": [], "p50": {"base": [], "new": []}}
        order.append(r["row"])
    rows[r["row"]][r["target"]].append(r["result"].get("callsPerSec", 0))
    rows[r["row"]]["p50"][r["target"]].append(r["result"].get("latencyUs", {}).get("p50", 0))
print(f"Medians of {sys.argv[2]} alternating runs of {sys.argv[3]} s per row, priority {sys.argv[4]}.\n")
print("| Case | base calls/s | new calls/s | new ÷ base | base p50 µs | new p50 µs |")
print("|---|---:|---:|---:|---:|---:|")
for row in order:
    b, n = statistics.median(rows[row]["base"]), statistics.median(rows[row]["new"])
    pb, pn = statistics.median(rows[row]["p50"]["base"]), statistics.median(rows[row]["p50"]["new"])
    ratio = n / b if b else float("nan")
    print(f"| {row} | {b:,.0f} | {n:,.0f} | {ratio:.3f} | {pb} | {pn} |")
PY
