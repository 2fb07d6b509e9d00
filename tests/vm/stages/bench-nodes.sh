#!/bin/bash
# Stage: the node-database benchmarks (benchmarks/run.sh nodes calls it), bounded to a few minutes under emulation.
#  1. reading N node records (default 256, written by the library to /etc/iscsi): BenchmarkDotNet NodeDatabaseBenchmarks,
#     IscsiNodeDatabase.Query() vs `iscsiadm -m node` and `iscsiadm -m node -o show` through Process;
#  2. boot restore of M automatic nodes (default 64 LIO targets on loopback, one 4 MiB LUN each): LoginAllAsync(Automatic)
#     vs `iscsiadm -m node --loginall=automatic` until every disk exists (iscsid runs for iscsiadm).
#     Then the same read interleaved round by round (nodes-read-ab: medians and per-round ratios, robust to a host
#     whose load drifts), with BASELINE (a directory holding another build's IscsiNative.Nodes.dll) as a third row.
# Usage: tests/vm/run.sh bench-nodes OUTDIR [RECORDS=256] [RESTORE=64] [REPS=2] [BASELINE]
# Results: OUTDIR/nodes-read.md (BenchmarkDotNet github report), OUTDIR/nodes-restore.md, OUTDIR/timings.txt.
set -u
here=$(dirname "$0"); . "$here/lio.sh"
RECORDS=${1:-256}; RESTORE=${2:-64}; REPS=${3:-2}; BASELINE=${4:-}
O=$VM_OUT; portal=127.0.0.1:3260; prefix=iqn.2003-01.org.linux-iscsi.bench
bench=$VM_REPO/benchmarks/IscsiNative.Benchmarks/bin/${CONFIG:-Release}/net10.0/IscsiNative.Benchmarks.dll
[[ -f $bench ]] || { echo "bench-nodes: $bench is missing; build first (./build.sh build)"; exit 2; }
die() { echo "bench-nodes: $*"; exit 1; }
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
timing() { echo "$*" | tee -a "$O/timings.txt"; }

rm -rf "$O"/nodes-*.md "$O"/timings.txt "$O"/bdn
mkdir -p "$O/bdn"
timing "kernel $(uname -r), $(nproc) vCPUs (tcg), $(iscsiadm --version)"
iscsid_start || die "iscsid did not start"
iscsiadm -m node -o delete > /dev/null 2>&1

t0=$(now)
dotnet "$bench" nodes-seed "$RECORDS" || die "seeding $RECORDS records"
timing "records: $RECORDS node records written by the library in $(ms_since "$t0") ms"
t0=$(now)
ISCSINATIVE_BENCH_NODES=$RECORDS dotnet "$bench" --filter '*NodeDatabaseBenchmarks*' --artifacts "$O/bdn/read" \
    > "$O/bdn/read.log" 2>&1 || { tail -40 "$O/bdn/read.log"; die "record-reading benchmark failed"; }
cp "$O/bdn/read/results/"*NodeDatabaseBenchmarks*-report-github.md "$O/nodes-read.md"
timing "record-reading benchmark: $(ms_since "$t0") ms"
cat "$O/nodes-read.md"
t0=$(now)
dotnet "$bench" nodes-read-ab --rounds 40 --out "$O/nodes-read-ab.md" ${BASELINE:+--baseline "$BASELINE"} > "$O/bdn/read-ab.log" 2>&1 \
    || { tail -20 "$O/bdn/read-ab.log"; die "interleaved record-reading comparison failed"; }
timing "interleaved record-reading comparison: $(ms_since "$t0") ms"
cat "$O/nodes-read-ab.md"
iscsiadm -m node -o delete > /dev/null 2>&1

t0=$(now)
for ((i = 1; i <= RESTORE; i++)); do lio_create "$prefix:r$i" 4 1 "$portal" || die "LIO target r$i"; done
timing "restore targets: $RESTORE LIO targets ready in $(ms_since "$t0") ms (configfs)"
iscsiadm -m discovery -t st -p "$portal" > /dev/null 2>&1 || die "discovery"
iscsiadm -m node -o update -n node.startup -v automatic > /dev/null 2>&1 || die "node.startup = automatic"
t0=$(now)
dotnet "$bench" nodes-restore --out "$O/nodes-restore.md" --reps "$REPS" 2>&1 | tee "$O/bdn/restore.log"
rc=${PIPESTATUS[0]}
timing "restore harness: $(ms_since "$t0") ms (exit $rc)"
iscsiadm -m node -U all > /dev/null 2>&1
iscsiadm -m node -o delete > /dev/null 2>&1
lio_remove_all
exit "$rc"
