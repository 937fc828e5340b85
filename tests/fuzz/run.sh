#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) and runs each for the
# given number of seconds. Fails on any crash, leak, sanitizer report or invariant failure.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]      e.g. tests/fuzz/run.sh 30
#
# Inputs found are kept in $FUZZ_BUILD_DIR/corpus/<target> (grows run after run; the seeds in
# tests/fuzz/corpus/<target> are only read); a failing input is saved in
# $FUZZ_BUILD_DIR/artifacts/<target>/ and can be replayed with `<build>/<target> <file>`.
# Each run is appended to $FUZZ_BUILD_DIR/fuzz-time.log (seconds per target, for ROBUSTNESS.md).
set -euo pipefail

seconds=${1:?usage: $0 SECONDS [TARGET...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_jsonstreamframer fuzz_lspframer fuzz_httprequestparser fuzz_httpresponseparser
    fuzz_dispatcher fuzz_websocketframer)

if ! command -v clang++ >/dev/null; then
    echo "run.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi

CC=clang CXX=clang++ cmake -S "$root/tests/fuzz" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

dictionary() {
    case "$1" in
    fuzz_jsonstreamframer | fuzz_dispatcher) echo "$root/tests/fuzz/json.dict" ;;
    fuzz_lspframer) echo "$root/tests/fuzz/lsp.dict" ;;
    fuzz_httprequestparser | fuzz_httpresponseparser) echo "$root/tests/fuzz/http.dict" ;;
    esac
}

# Sanitizer reports are fatal; leaks are checked (libFuzzer does it after inputs that allocate).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export QT_LOGGING_RULES="*.debug=false"

failed=()
for target in "${targets[@]}"; do
    work="$build/corpus/$target"
    artifacts="$build/artifacts/$target/"
    log="$build/$target.log"
    mkdir -p "$work" "$artifacts"
    args=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1
          -artifact_prefix="$artifacts")
    dict=$(dictionary "$target")
    [ -n "$dict" ] && args+=(-dict="$dict")
    echo "== $target: ${seconds}s"
    rc=0
    "$build/$target" "${args[@]}" "$work" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1 || rc=$?
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $target ${seconds}s rc=$rc" >>"$build/fuzz-time.log"
    grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb' "$log" | sed 's/^/   /' || true
    if [ "$rc" -ne 0 ]; then
        echo "!! $target FAILED (exit $rc); log: $log" >&2
        grep -E -A25 'INVARIANT FAILED|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log" |
            head -60 >&2 || tail -40 "$log" >&2
        ls "$artifacts" >&2 || true
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzzing FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing passed: ${targets[*]} (${seconds}s each)"
