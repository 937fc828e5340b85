#!/usr/bin/env bash
# What the proxy costs: `rpcbench bench` (16 connections) straight to `rpcbench serve` and through
# `rpcbench proxy --log jsonl FILE` in front of the same server, alternating in the same run, then
# calls/s, p50 and p99 of both and the ratios (Markdown, for docs/BENCHMARKS.md "Proxy
# overhead"). Also counts the proxy's log lines against 2 x the calls that went through it: one
# row per request and one per reply (the log also holds the warm-up's calls, and a connection
# closed with calls in flight has requests whose replies never reached a client).
#
#   bench/proxy_overhead.sh                      # build/app/rpcbench, about 30 s
#   RPCBENCH=build-rel/app/rpcbench RUNS=3 BENCH_SECONDS=3 bench/proxy_overhead.sh
#
# Environment: RPCBENCH, RUNS=2, BENCH_SECONDS=3, WARMUP=0.5, CONNS=16, DEPTH=1, PAYLOAD=16,
# TRANSPORT=tcp (tcp, http or ws), LOG=jsonl (jsonl: the proxy logs to a file and its lines are
# counted; none: the proxy's forwarding alone), QUIET_LOAD (see bench/common.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
RPCBENCH=${RPCBENCH:-$ROOT/build/app/rpcbench}
RUNS=${RUNS:-2}
BENCH_SECONDS=${BENCH_SECONDS:-3}
WARMUP=${WARMUP:-0.5}
CONNS=${CONNS:-16}
DEPTH=${DEPTH:-1}
PAYLOAD=${PAYLOAD:-16}
TRANSPORT=${TRANSPORT:-tcp}
LOG=${LOG:-jsonl}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-proxy.XXXXXX")
PIDS=()
log() { echo "proxy_overhead: $*" >&2; }
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$RPCBENCH" ] || { log "no rpcbench at $RPCBENCH (build it, or set RPCBENCH)"; exit 1; }
case $TRANSPORT in tcp | http | ws) ;; *) log "TRANSPORT must be tcp, http or ws"; exit 1 ;; esac
case $LOG in jsonl | none) ;; *) log "LOG must be jsonl or none"; exit 1 ;; esac

url_of() { # PORT -> the URL of $TRANSPORT on 127.0.0.1:PORT
    if [ "$TRANSPORT" = tcp ]; then echo "tcp://127.0.0.1:$1"; else echo "$TRANSPORT://127.0.0.1:$1/"; fi
}

# wait_for_port PATTERN FILE NAME: the port a process printed (a sed pattern with one group).
wait_for_port() {
    local pattern=$1 file=$2 name=$3 port=""
    for _ in $(seq 1 100); do
        port=$(sed -n "$pattern" "$file" | head -n1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { log "$name did not start: $(cat "$file")"; exit 1; }
    echo "$port"
}

wait_for_quiet
: >"$WORK/serve.out"
: >"$WORK/proxy.err" # before the processes start: wait_for_port reads them at once
"$RPCBENCH" serve --port 0 --log none >"$WORK/serve.out" 2>"$WORK/serve.err" &
PIDS+=("$!")
SERVE_PORT=$(wait_for_port 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$WORK/serve.out" serve)
LOG_FILE=$WORK/proxy.jsonl
LOG_ARGS=(--log jsonl "$LOG_FILE")
if [ "$LOG" = none ]; then LOG_ARGS=(--log none); fi
"$RPCBENCH" proxy --listen "$(url_of 0)" --upstream "$(url_of "$SERVE_PORT")" "${LOG_ARGS[@]}" 2>"$WORK/proxy.err" &
PIDS+=("$!")
PROXY_PID=$!
PROXY_PORT=$(wait_for_port 's/^rpcbench proxy: listening on [a-z]*:\/\/[^ ]*:\([0-9][0-9]*\)\/*,.*$/\1/p' \
    "$WORK/proxy.err" proxy)
log "serve on $SERVE_PORT, proxy on $PROXY_PORT ($TRANSPORT), $RUNS x $BENCH_SECONDS s per target"

results=$WORK/results.jsonl
for run in $(seq 1 "$RUNS"); do
    for target in direct proxy; do
        port=$SERVE_PORT
        [ "$target" = proxy ] && port=$PROXY_PORT
        line=$("$RPCBENCH" bench --url "$(url_of "$port")" --conns "$CONNS" --depth "$DEPTH" \
            --payload "$PAYLOAD" --seconds "$BENCH_SECONDS" --warmup "$WARMUP" --json 2>"$WORK/load.err") ||
            { log "run failed ($target): $(cat "$WORK/load.err")"; exit 1; }
        printf '{"target":"%s","result":%s}\n' "$target" "$line" >>"$results"
        log "run $run/$RUNS $target: $(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["callsPerSec"]))' "$line") calls/s"
    done
done
# The proxy writes its log every 50 ms and on exit: stop it, then count.
kill -TERM "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true
python3 - "$results" "$LOG_FILE" "$RUNS" "$BENCH_SECONDS" "$CONNS" "$DEPTH" "$TRANSPORT" "$LOG" <<'PY'
import json, statistics, sys
results, log_file, runs, seconds, conns, depth, transport, log = sys.argv[1:]
by = {"direct": [], "proxy": []}
for line in open(results):
    r = json.loads(line)
    by[r["target"]].append(r["result"])
def med(target, get):
    return statistics.median(get(r) for r in by[target])
cps = {t: med(t, lambda r: r["callsPerSec"]) for t in by}
p50 = {t: med(t, lambda r: r["latencyUs"]["p50"]) for t in by}
p99 = {t: med(t, lambda r: r["latencyUs"]["p99"]) for t in by}
errors = {t: sum(r.get("errors", 0) for r in by[t]) for t in by}
measured = sum(r["calls"] for r in by["proxy"])
rows = requests = replies = 0
added = []  # per reply: the proxy's own time (latency as the client sees it minus the upstream's)
for line in open(log_file) if log == "jsonl" else []:
    rows += 1
    e = json.loads(line)
    kind = e.get("kind", "")
    if e.get("dir") == "in" and kind == "request":
        requests += 1
    elif e.get("dir") == "out" and kind in ("response", "error"):
        replies += 1
        if e.get("latencyUs", -1) >= 0 and e.get("upstreamUs", -1) >= 0:
            added.append(e["latencyUs"] - e["upstreamUs"])
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0
print(f"{transport}, proxy --log {log}, {conns} conns x depth {depth}, medians of {runs} alternating runs of {seconds} s per target.\n")
print("| Target | calls/s | p50 µs | p99 µs | errors |")
print("|---|---:|---:|---:|---:|")
for t in ("direct", "proxy"):
    print(f"| {t} | {cps[t]:,.0f} | {p50[t]} | {p99[t]} | {errors[t]} |")
print(f"| proxy ÷ direct | {cps['proxy'] / cps['direct']:.2f} | {p50['proxy'] / p50['direct']:.2f} | "
      f"{p99['proxy'] / p99['direct']:.2f} | |")
if log == "none":
    sys.exit(0)
print(f"\nProxy log: {rows:,} lines ({requests:,} requests in, {replies:,} replies out); calls counted by "
      f"bench through the proxy: {measured:,} (2 x = {2 * measured:,}; the log also holds the warm-up's "
      f"calls). Requests without a logged reply: {requests - replies} (at most {conns} x {depth} x {runs} "
      f"in flight when bench closed its connections).")
print(f"Time the proxy adds per call, from the log (latencyUs - upstreamUs of each reply): "
      f"p50 {pct(added, 50)} µs, p99 {pct(added, 99)} µs.")
PY
