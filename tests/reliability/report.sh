#!/usr/bin/env bash
# Regenerates docs/reliability.md's tables: the VM-stage table from the kept results of the reliability tests, and
# the fuzzing table (tests/fuzz/report.sh).
#   tests/reliability/report.sh                 both tables from what is kept (artifacts/reliability/*/vmtests.xml,
#                                               artifacts/fuzz/TARGET)
#   tests/reliability/report.sh RUNS            first RUNS boots of the VM running the IscsiNative.VmTests.Reliability
#                                               namespace (sizes from ISCSINATIVE_STORM_SESSIONS, ISCSINATIVE_SOAK_CYCLES,
#                                               passed into the VM by run.sh), each kept as artifacts/reliability/DATE-TIME
#   tests/reliability/report.sh RUNS FUZZ...    and then tests/fuzz/report.sh FUZZ... (e.g. 1200 300: every target
#                                               for at most 1200 s, 10 M executions or 300 s without a new path)
# Results of earlier runs are kept and counted (rm -r artifacts/reliability to start over). Every run is bounded by
# the VM's timeout (VM_TIMEOUT, default 1800 s here).
set -euo pipefail
ROOT=$(cd "$(dirname "$(realpath "$0")")/../.." && pwd)
cd "$ROOT"
runs=${1:-0}
shift || true
keep=artifacts/reliability
mkdir -p "$keep"
for ((i = 1; i <= runs; i++)); do
    out=$keep/$(date -u +%Y%m%d-%H%M%S)
    echo "==> reliability run $i of $runs -> $out" >&2
    VM_SELFCHECK=0 VM_QUIET=1 VM_TIMEOUT=${VM_TIMEOUT:-1800} tests/vm/run.sh vmtests "$out" -namespace IscsiNative.VmTests.Reliability >"$out.log" 2>&1 || \
        echo "    run $i: VM stage exit $? (failures are counted in the table; log $out.log)" >&2
done
if (($#)); then
    tests/fuzz/report.sh "$@"
else
    tests/fuzz/report.sh
fi

mapfile -t results < <(ls "$keep"/*/vmtests.xml 2>/dev/null || true)
((${#results[@]})) || { echo "no reliability results under $keep: run tests/reliability/report.sh 1" >&2; exit 1; }
perl tests/reliability/vm-table.pl "${results[@]}" >artifacts/reliability-table.md
doc=docs/reliability.md
awk -v table=artifacts/reliability-table.md '
    /<!-- vm-results -->/ { print; while ((getline line < table) > 0) print line; skip=1; next }
    /<!-- \/vm-results -->/ { skip=0 }
    !skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
echo "updated $doc from ${#results[@]} VM run(s)" >&2
