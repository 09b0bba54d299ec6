# Shared by the .ci scripts (sourced, not run): timing of steps, so CI time reads off the log.
# shellcheck shell=bash

# Microseconds since the epoch (bash 5's EPOCHREALTIME, whatever the locale's decimal point).
ci_now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# Seconds from $1 (microseconds) to now, with one decimal.
ci_since() {
    local us=$(($(ci_now_us) - $1))
    printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

CI_TIMES=()

# timed NAME COMMAND...: runs COMMAND, then prints `time: NAME: S s` (and `FAILED` with its
# exit status when it fails, which it passes on). COMMAND must be a program or script, not a
# shell function: `set -e` does not apply inside a function run this way.
timed() {
    local name=$1 start rc=0 line
    shift
    start=$(ci_now_us)
    echo "==> $name" >&2
    "$@" || rc=$?
    line="$name: $(ci_since "$start") s"
    ((rc == 0)) || line+=" FAILED (exit $rc)"
    CI_TIMES+=("$line")
    echo "time: $line" >&2
    return "$rc"
}

# Every step timed so far, one per line.
ci_time_summary() {
    echo "--- step times" >&2
    printf '  %s\n' "${CI_TIMES[@]}" >&2
}

# phase NAME: ends the current phase (printing its time) and starts NAME. For scripts whose
# steps are blocks of code under `set -e`; call ci_phase_end from an EXIT trap so the phase
# cut short by a failure is timed too (`FAILED` when the exit status is not 0).
CI_PHASE=
CI_PHASE_START=0
ci_phase() {
    ci_phase_end 0
    CI_PHASE=$1
    CI_PHASE_START=$(ci_now_us)
    echo "==> $CI_PHASE" >&2
}
ci_phase_end() {
    local rc=${1:-0} line
    [[ -n $CI_PHASE ]] || return 0
    line="$CI_PHASE: $(ci_since "$CI_PHASE_START") s"
    ((rc == 0)) || line+=" FAILED"
    CI_TIMES+=("$line")
    echo "time: $line" >&2
    CI_PHASE=
}
