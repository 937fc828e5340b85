# Shell functions shared by bench/run.sh and bench/gui-load.sh (sourced; callers define log()).

# Waits (up to QUIET_WAIT=600 s) until the 1-minute load average is below QUIET_LOAD, if set:
# other work on the CPUs skews every figure.
wait_for_quiet() {
    [ -n "${QUIET_LOAD:-}" ] || return 0
    local waited=0
    until python3 -c 'import os, sys; sys.exit(os.getloadavg()[0] >= float(sys.argv[1]))' "$QUIET_LOAD"; do
        if [ "$waited" -ge "${QUIET_WAIT:-600}" ]; then
            log "load average still $(cut -d' ' -f1 /proc/loadavg) after ${waited} s; running anyway"
            return 0
        fi
        sleep 10
        waited=$((waited + 10))
    done
}

# select_priority ALLOWED... : sets PRIO_CMD for $PRIORITY (nice: nice -19, fifo: SCHED_FIFO 10,
# none), which must be one of ALLOWED; falls back to none without root or CAP_SYS_NICE.
select_priority() {
    if [[ " $* " != *" $PRIORITY "* ]]; then
        log "PRIORITY must be one of: $*"
        exit 1
    fi
    case $PRIORITY in
    fifo) PRIO_CMD=(chrt -f 10) ;;
    nice) PRIO_CMD=(nice -n -19) ;;
    none) PRIO_CMD=(env) ;;
    esac
    if ! "${PRIO_CMD[@]}" true 2>/dev/null || { [ "$PRIORITY" = nice ] && [ "$(nice -n -19 nice 2>/dev/null)" != -19 ]; }; then
        log "cannot raise priority ($PRIORITY) here; using none"
        PRIORITY=none
        PRIO_CMD=(env)
    fi
}
