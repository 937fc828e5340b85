#!/usr/bin/env bash
# Is `rpcbench bench` the bottleneck? Runs it and a minimal plain-C client (bench/c_load)
# against the same raw echo server (`rpcbench bench --echo-server`) in the same run, same
# request bytes, same connections × depth, alternating, and prints both calls/s and the ratio
# rpcbench/c_load per case. A ratio near 1 means the echo server (or the machine) is the
# limit, not the generator. Under a minute with the defaults.
#
#   bench/generator_compare.sh [path/to/rpcbench]
#
# Environment: SECONDS_PER_RUN=3, WARMUP=0.5, RUNS=1 (median of RUNS per case), PAYLOAD=16,
# SERVER_CPU=0, CLIENT_CPU=1 (taskset; empty to not pin), C_LOAD=path of a built c_load
# (default: build/bench/c_load/c_load, else compiled here with cc).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${1:-$ROOT/build/app/rpcbench}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
WARMUP=${WARMUP:-0.5}
RUNS=${RUNS:-1}
PAYLOAD=${PAYLOAD:-16}
SERVER_CPU=${SERVER_CPU-0}
CLIENT_CPU=${CLIENT_CPU-1}
CASES=("1 1" "4 32" "16 1")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-gencompare.XXXXXX")
SERVER_PID=""
log() { echo "generator_compare: $*" >&2; }
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$BIN" ] || { log "no rpcbench at $BIN (build it, or pass its path)"; exit 1; }
C_LOAD=${C_LOAD:-$ROOT/build/bench/c_load/c_load}
if [ ! -x "$C_LOAD" ]; then
    C_LOAD=$WORK/c_load
    cc -std=c11 -O2 -Wall -o "$C_LOAD" "$ROOT/bench/c_load/c_load.c"
fi
pin() { # CPU COMMAND...
    local cpu=$1
    shift
    if [ -n "$cpu" ] && command -v taskset >/dev/null; then taskset -c "$cpu" "$@"; else "$@"; fi
}

pin "$SERVER_CPU" "$BIN" bench --echo-server --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$WORK/server.out" | head -n1)
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { log "echo server did not start: $(cat "$WORK/server.err")"; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rpcbench_rate() { # CONNS DEPTH -> calls/s
    pin "$CLIENT_CPU" "$BIN" bench --url "tcp://127.0.0.1:$PORT" --echo --conns "$1" --depth "$2" \
        --payload "$PAYLOAD" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --json |
        python3 -c 'import json, sys; r = json.load(sys.stdin); print(round(r["callsPerSec"]), r["requestBytes"])'
}
c_rate() { # CONNS DEPTH -> calls/s
    pin "$CLIENT_CPU" "$C_LOAD" 127.0.0.1 "$PORT" "$1" "$2" "$SECONDS_PER_RUN" "$PAYLOAD" "$WARMUP" |
        awk '/^callsPerSec/ { r = $2 } /^requestBytes/ { b = $2 } END { print r, b }'
}

echo "| conns × depth | request B | rpcbench bench calls/s | c_load calls/s | rpcbench / c_load |"
echo "|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    read -r conns depth <<<"$case"
    : >"$WORK/r"
    : >"$WORK/c"
    for _ in $(seq 1 "$RUNS"); do
        read -r r rb < <(rpcbench_rate "$conns" "$depth")
        read -r c cb < <(c_rate "$conns" "$depth")
        [ "$rb" = "$cb" ] || { log "request sizes differ: rpcbench $rb B, c_load $cb B"; exit 1; }
        echo "$r" >>"$WORK/r"
        echo "$c" >>"$WORK/c"
    done
    r=$(median <"$WORK/r")
    c=$(median <"$WORK/c")
    ratio=$(awk -v a="$r" -v b="$c" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    echo "| $conns × $depth | $rb | $r | $c | $ratio |"
done

# Open loop: can rpcbench bench keep a schedule? Calls/s achieved vs asked, and how late.
OPEN_RATE=${OPEN_RATE:-50000}
echo
echo "open loop, --rate $OPEN_RATE --conns 4 for $SECONDS_PER_RUN s:"
pin "$CLIENT_CPU" "$BIN" bench --url "tcp://127.0.0.1:$PORT" --echo --conns 4 --rate "$OPEN_RATE" \
    --payload "$PAYLOAD" --seconds "$SECONDS_PER_RUN" --json |
    python3 -c '
import json, sys
r = json.load(sys.stdin); o = r["openLoop"]; l = r["latencyUs"]
print("  calls/s %d   late %d of %d (p99 %d us, max %d us)   not sent %d   latency p50 %d us p99 %d us max %d us"
      % (r["callsPerSec"], o["late"], o["sent"], o["latenessP99Us"], o["latenessMaxUs"], o["notSent"],
         l["p50"], l["p99"], l["max"]))'
