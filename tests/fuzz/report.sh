#!/usr/bin/env bash
# Regenerates the fuzzing table of docs/reliability.md from afl's fuzzer_stats under artifacts/fuzz/TARGET.
#   tests/fuzz/report.sh            table from the last runs
#   tests/fuzz/report.sh SECONDS    first run every target for SECONDS with ./build.sh fuzz, one at a time
set -euo pipefail
ROOT=$(cd "$(dirname "$(realpath "$0")")/../.." && pwd)
cd "$ROOT"
seconds=${1:-}
targets=$(ls tests/fuzz/corpus)
if [[ -n $seconds ]]; then
    for t in $targets; do ./build.sh fuzz "$t" "$seconds"; done
fi

field() { awk -F' *: ' -v k="$1" '$1==k{print $2}' "$2"; }
{
    echo "| target | seeds | run (s) | executions | exec/s | paths | crashes | hangs | afl stability |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for t in $targets; do
        s=artifacts/fuzz/$t/default/fuzzer_stats
        seeds=$(ls "tests/fuzz/corpus/$t" | wc -l)
        if [[ -f $s ]]; then
            run=$(( $(field last_update "$s") - $(field start_time "$s") ))
            echo "| $t | $seeds | $run | $(field execs_done "$s") | $(field execs_per_sec "$s") | $(field corpus_count "$s") | $(field saved_crashes "$s") | $(field saved_hangs "$s") | $(field stability "$s") |"
        else
            echo "| $t | $seeds | not run | | | | | | |"
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
