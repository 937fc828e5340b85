#!/usr/bin/env bash
# The GUI-under-load benchmark of issue 5: runs the real main window (offscreen, shown) with its
# embedded server started and logging on, drives it with `rpcbench bench` at full speed, and
# writes the GUI thread's stalls, the log's counters and memory into docs/BENCHMARKS.md, between
# <!-- guiload:begin --> and <!-- guiload:end --> inside the notes section that bench/run.sh's
# report keeps. Nothing else in the file changes.
#
# Environment (all optional):
#   SCENARIOS="follow reading"  follow: log at the bottom, auto-scroll on; reading: the user has
#                     selected a row in the middle of the log (view scrolled away)
#   RUNS=1            runs per scenario (each is reported)
#   GUI_SECONDS=30    seconds of load per run
#   LOADS="16x8"      load generator settings to run, CONNSxDEPTH each (connections x calls in
#                     flight per connection); 16x8 is the issue's full-speed case
#   SERVER_NICE_COMPARE=0  after each 16x8 run, run the same scenario again with the embedded
#                     server's thread this many nice steps below the GUI instead of the shipped
#                     default (BenchSession::EmbeddedServerNice = 10); 0 = the GUI's own priority,
#                     i.e. what the shipped default buys; off skips it
#   BUILD_DIR=...     Release build directory (default: build-guiload in the source tree)
#   PRIORITY=nice     nice: the benchmark and its load generator run at nice -19, so other work on
#                     the machine disturbs less (needs root or CAP_SYS_NICE, else falls back);
#                     none: default priority
#   GUI_CPU= BENCH_CPU=  pin the GUI process (GUI + server threads) / the load generator to a CPU
#                     (taskset-style; default: no pinning, as on a user's desktop)
#   QUIET_LOAD=0.7    wait (up to QUIET_WAIT=600 s) until the 1-minute load average is below this
#   PROFILE=1         also profile the GUI thread with perf for 10 s of an extra follow run
#   OUT=...           report path (default docs/BENCHMARKS.md); RESULTS_DIR=... keeps the JSON files
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
BUILD_DIR=${BUILD_DIR:-$ROOT/build-guiload}
SCENARIOS=${SCENARIOS:-follow reading}
RUNS=${RUNS:-1}
GUI_SECONDS=${GUI_SECONDS:-30}
LOADS=${LOADS:-16x8}
SERVER_NICE_COMPARE=${SERVER_NICE_COMPARE:-0}
PRIORITY=${PRIORITY:-nice}
PROFILE=${PROFILE:-0}
OUT=${OUT:-$ROOT/docs/BENCHMARKS.md}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rpcbench-guiload.XXXXXX")
RESULTS_DIR=${RESULTS_DIR:-$WORK}
PRIO_CMD=(env)

cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

log() { echo "gui-load: $*" >&2; }

build() {
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
        log "configuring Release build in $BUILD_DIR"
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt"; then
        log "warning: $BUILD_DIR is not a Release build; figures will be pessimistic"
    fi
    log "building rpcbench and rpcbench_guiload"
    cmake --build "$BUILD_DIR" --target rpcbench rpcbench_guiload -j"${JOBS:-2}" >/dev/null
    BIN="$BUILD_DIR/app/rpcbench"
    GUILOAD="$BUILD_DIR/bench/guiload/rpcbench_guiload"
    if [ ! -x "$BIN" ] || [ ! -x "$GUILOAD" ]; then
        log "missing $BIN or $GUILOAD"
        exit 1
    fi
}

# run_one SCENARIO CONNSxDEPTH OUTFILE [extra args]
run_one() {
    local scenario=$1 load=$2 out=$3
    shift 3
    local args=(--bench "$BIN" --scenario "$scenario" --conns "${load%x*}" --depth "${load#*x}"
        --seconds "$GUI_SECONDS" --out "$out")
    [ -n "${GUI_CPU:-}" ] && args+=(--gui-cpu "$GUI_CPU")
    [ -n "${BENCH_CPU:-}" ] && args+=(--bench-cpu "$BENCH_CPU")
    QT_QPA_PLATFORM=offscreen "${PRIO_CMD[@]}" "$GUILOAD" "${args[@]}" "$@" >/dev/null 2>"$WORK/guiload.err" || {
        log "run failed ($scenario):"
        grep -v 'propagateSizeHints\|XDG_RUNTIME_DIR' "$WORK/guiload.err" >&2 || true
        return 1
    }
    python3 - "$out" <<'PY' >&2
import json, sys
r = json.load(open(sys.argv[1]))
s, lg, m = r["stalls"], r["log"], r["memory"]
print(f"gui-load:   {r['scenario']:<8} {r['conns']}x{r['depth']} server nice+{r.get('serverNice', 0)}  stall p50 {s['p50Us'] / 1000:.1f} ms  p99 {s['p99Us'] / 1000:.1f} ms  "
      f"max {s['maxUs'] / 1000:.1f} ms  rows/s {lg['rowsReceivedPerSec']:,.0f}  dropped {lg['busDropped']}  "
      f"unaccounted {lg['eventsUnaccounted']}  waiting max {lg.get('maxWaiting', 0):,}  "
      f"RSS at cap {m['atCapKb'] / 1024:.0f} -> end {m['endKb'] / 1024:.0f} MiB  "
      f"calls/s {r['bench'].get('callsPerSec', 0):,.0f}")
PY
}

# Profiles the GUI thread (the process's main thread) for 10 s in the middle of a follow run.
profile_gui() {
    command -v perf >/dev/null || { log "perf not found; no profile"; return 1; }
    local out="$WORK/profile-run.json"
    QT_QPA_PLATFORM=offscreen "${PRIO_CMD[@]}" "$GUILOAD" --bench "$BIN" --scenario follow --conns 16 \
        --depth 8 --seconds 20 --out "$out" >/dev/null 2>"$WORK/profile.err" &
    local pid=$!
    sleep 6
    if ! perf record -e cpu-clock -F 999 --call-graph dwarf,32768 -t "$pid" -o "$WORK/gui.perf" -- sleep 10 \
        >/dev/null 2>"$WORK/perf.err"; then
        log "perf record failed: $(tail -n1 "$WORK/perf.err")"
        wait "$pid" || true
        return 1
    fi
    wait "$pid" || true
    perf script -i "$WORK/gui.perf" -F comm,tid,ip,sym,dso 2>/dev/null >"$WORK/gui.script"
    python3 "$ROOT/bench/guiload/gui_report.py" --fold "$WORK/gui.script" >"$WORK/profile.md"
}

main() {
    select_priority nice none
    build
    wait_for_quiet
    mkdir -p "$RESULTS_DIR"
    local files=()
    for run in $(seq 1 "$RUNS"); do
        for load in $LOADS; do
            for scenario in $SCENARIOS; do
                log "run $run/$RUNS: $scenario $load (${GUI_SECONDS} s, load average $(cut -d' ' -f1-3 /proc/loadavg))"
                local f="$RESULTS_DIR/guiload-$scenario-$load-$run.json"
                if run_one "$scenario" "$load" "$f"; then
                    files+=("$f")
                fi
                # The comparison runs right after its baseline, so both see the same machine.
                if [ "$SERVER_NICE_COMPARE" != off ] && [ "$load" = 16x8 ]; then
                    log "run $run/$RUNS: $scenario $load, server thread at nice +$SERVER_NICE_COMPARE (comparison)"
                    f="$RESULTS_DIR/guiload-$scenario-$load-servernice-$run.json"
                    if run_one "$scenario" "$load" "$f" --server-nice "$SERVER_NICE_COMPARE"; then
                        files+=("$f")
                    fi
                fi
            done
        done
    done
    [ "${#files[@]}" -gt 0 ] || { log "no run succeeded"; exit 1; }
    local profile_arg=()
    if [ "$PROFILE" = 1 ]; then
        log "profiling the GUI thread (extra follow run, 20 s)"
        profile_gui && profile_arg=(--profile "$WORK/profile.md")
    fi
    mkdir -p "$(dirname "$OUT")"
    python3 "$ROOT/bench/guiload/gui_report.py" --out "$OUT" "${profile_arg[@]}" \
        --command "RUNS=$RUNS LOADS=\"$LOADS\" GUI_SECONDS=$GUI_SECONDS PRIORITY=$PRIORITY SERVER_NICE_COMPARE=$SERVER_NICE_COMPARE PROFILE=$PROFILE${QUIET_LOAD:+ QUIET_LOAD=$QUIET_LOAD}${GUI_CPU:+ GUI_CPU=$GUI_CPU}${BENCH_CPU:+ BENCH_CPU=$BENCH_CPU} bench/gui-load.sh" \
        "${files[@]}"
    log "wrote the GUI section of $OUT"
}

main "$@"
