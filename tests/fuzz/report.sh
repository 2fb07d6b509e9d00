#!/usr/bin/env bash
# Regenerates the fuzzing table of docs/reliability.md from afl's fuzzer_stats under artifacts/fuzz/TARGET.
#   tests/fuzz/report.sh                               table from the last runs
#   tests/fuzz/report.sh SECONDS [PLATEAU]             first run every target (one at a time, nice $FUZZ_NICE, default 15) for at most
#                                                      SECONDS, 10 million executions or PLATEAU s without a new path
#   tests/fuzz/report.sh --until HH:MM [PLATEAU]       the same, the time left until HH:MM (UTC) shared out evenly
#                                                      among the targets not yet run; HH:MM past today is tomorrow (a target that stops early on
#                                                      its plateau or at 10 M leaves its time to the next ones)
set -euo pipefail
ROOT=$(cd "$(dirname "$(realpath "$0")")/../.." && pwd)
cd "$ROOT"
targets=$(ls tests/fuzz/corpus)
if [[ $# -gt 0 ]]; then
    if [[ $1 == --until ]]; then until=${2:?--until HH:MM}; plateau=${3:-0}; else plateau=${2:-0}; fi
    start_all=$(date -u +%s)
    ./build.sh fuzz-prepare
    n=$(wc -w <<<"$targets")
    for t in $targets; do
        if [[ $1 == --until ]]; then
            # HH:MM already past today means tomorrow (a campaign started at 21:00 --until 02:00).
            end=$(date -u -d "$until" +%s); ((end > start_all)) || end=$((end + 86400))
            left=$(( end - $(date -u +%s) ))
            seconds=$(( left / n - 15 ))   # 15 s: the host's start, the seeds' calibration, the stats
            ((seconds > 30)) || seconds=30
        else
            seconds=$1
        fi
        ISCSINATIVE_FUZZ_PREBUILT=1 ./build.sh fuzz "$t" "$seconds" 10000000 "$plateau" || true
        n=$((n - 1))
    done
fi

field() { awk -F' *: ' -v k="$1" '$1==k{print $2}' "$2"; }
{
    echo "| target | seeds | run (s) | executions | exec/s | paths | edges | crashes | hangs | last new path (s before end) | stopped by |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for t in $targets; do
        s=artifacts/fuzz/$t/default/fuzzer_stats
        seeds=$(ls "tests/fuzz/corpus/$t" | wc -l)
        if [[ -f $s ]]; then
            start=$(field start_time "$s") end=$(field last_update "$s") execs=$(field execs_done "$s")
            last=$(field last_find "$s"); ((last > 0)) || last=$start
            limit=$(grep -o ' -V [0-9]*' "artifacts/fuzz/$t.cmd" 2>/dev/null | awk '{print $2}') plateau=$(cat "artifacts/fuzz/$t.plateau" 2>/dev/null || echo 0)
            if ((execs >= 10000000)); then why="10 M executions"
            elif ((plateau > 0 && end - last >= plateau)); then why="plateau (${plateau} s without a path)"
            else why="time (${limit:-?} s)"; fi
            echo "| $t | $seeds | $((end - start)) | $execs | $(field execs_per_sec "$s") | $(field corpus_count "$s") | $(field edges_found "$s") | $(field saved_crashes "$s") | $(field saved_hangs "$s") | $((end - last)) | $why |"
        else
            echo "| $t | $seeds | not run | | | | | | | | |"
        fi
    done
} >artifacts/fuzz-table.md

doc=docs/reliability.md
if [[ -f $doc ]] && grep -q '<!-- fuzz-table -->' "$doc"; then
    awk -v table=artifacts/fuzz-table.md '
        /<!-- fuzz-table -->/ { print; while ((getline line < table) > 0) print line; skip=1; next }
        /<!-- \/fuzz-table -->/ { skip=0 }
        !skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
    echo "updated $doc"
else
    cat artifacts/fuzz-table.md
fi
