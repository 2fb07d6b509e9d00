#!/bin/bash
# Stage: the live benchmarks (benchmarks/run.sh calls it). LIO targets on loopback, one small LUN each, logged in
# with iscsid + iscsiadm; for each session count the BenchmarkDotNet LiveEnumeration benchmarks (library, C floors,
# libopeniscsiusr, iscsiadm through Process) run against the live /sys; then the Stopwatch login harness (library
# LoginAsync when present vs iscsiadm --login / -L all / -U all). Everything here runs under software emulation.
# Then the volume harness: IscsiVolumeConnector attach/detach of 1 and VOLUME_LUNS LUNs of one target against the
# csi-lib-iscsi/os-brick recipe as a script (volume-recipe.sh).
# Usage: tests/vm/run.sh bench OUTDIR [SIZES="1 16 64 256" | none] [LOGIN_SIZES="1,64" | none] [LOGIN_REPS=3] [LOGIN_LARGE_REPS=1]
#        [VOLUME_LUNS=16 | none] [VOLUME_REPS=3] [HOSTING=64 | none]
# (SIZES=none and LOGIN_SIZES=none leave out the enumeration and the login harness; LOGIN_LARGE_REPS: samples at 128
# sessions and more; HOSTING: node count of the hosted-service boot restore / adoption harness, LOGIN_REPS samples,
# or none.)
# Results: OUTDIR/enumeration-N.md (BenchmarkDotNet github reports), OUTDIR/vm-login.md, OUTDIR/timings.txt,
# OUTDIR/strace-*.txt (syscall profiles at 64 sessions), OUTDIR/vm-login-profile.md (per-phase login/logout profile),
# OUTDIR/volumes-attach.md (volume harness), OUTDIR/hosting.md (service start to all automatic sessions ready vs
# iscsiadm --loginall=automatic; adoption).
set -u
here=$(dirname "$0"); . "$here/lio.sh"
SIZES=${1:-1 16 64 256}; LOGIN_SIZES=${2:-1,64}; LOGIN_REPS=${3:-3}; LOGIN_LARGE_REPS=${4:-1}
VOLUME_LUNS=${5:-16}; VOLUME_REPS=${6:-3}; HOSTING=${7:-64}
O=$VM_OUT; portal=127.0.0.1:3260; prefix=iqn.2003-01.org.linux-iscsi.bench
bench=$VM_REPO/benchmarks/IscsiNative.Benchmarks/bin/${CONFIG:-Release}/net10.0/IscsiNative.Benchmarks.dll
[[ -f $bench ]] || { echo "bench: $bench is missing; build first (./build.sh build)"; exit 2; }
die() { echo "bench: $*"; exit 1; }
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }
timing() { echo "$*" | tee -a "$O/timings.txt"; }
sessions() { local n=0 s; for s in /sys/class/iscsi_session/session*; do [[ -e $s ]] && n=$((n + 1)); done; echo $n; }
disks() { ls -d /sys/class/iscsi_session/session*/device/target*/*:*/block/sd* 2>/dev/null | wc -l; }
wait_for() {   # wait_for N SECONDS: N sessions, each with its disk
    local i
    for ((i = 0; i < $2 * 4; i++)); do
        (($(sessions) == $1 && $(disks) >= $1)) && return 0
        sleep 0.25
    done
    return 1
}

rm -rf "$O"/enumeration-*.md "$O"/hosting.md "$O"/vm-login.md "$O"/vm-login-profile.md "$O"/volumes-attach.md "$O"/timings.txt "$O"/strace-*.txt "$O"/bdn
mkdir -p "$O/bdn"
timing "kernel $(uname -r), $(nproc) vCPUs (tcg), $(iscsiadm --version)"
iscsid_start || die "iscsid did not start"
created=0
[[ $SIZES == none ]] && SIZES=
for n in $SIZES; do
    t0=$(now)
    while ((created < n)); do created=$((created + 1)); lio_create "$prefix:t$created" 4 1 "$portal" || die "LIO target t$created"; done
    timing "targets: $n LIO targets ready in $(ms_since "$t0") ms (configfs)"
    iscsiadm -m discovery -t st -p "$portal" > /dev/null 2>&1 || die "discovery"
    t0=$(now)
    iscsiadm -m node -L all > "$O/bdn/login-$n.log" 2>&1   # already logged-in nodes report exit 15; others log in
    wait_for "$n" 300 || die "only $(sessions) sessions / $(disks) disks of $n after 300 s"
    timing "logins: iscsiadm -m node -L all up to $n sessions (with disks) in $(ms_since "$t0") ms"
    if ((n == 64)); then
        for p in 0 3; do strace -c -f -o "$O/strace-iscsiadm-P$p-64.txt" iscsiadm -m session -P $p > /dev/null 2>&1; done
    fi
    t0=$(now)
    ISCSINATIVE_BENCH_SESSIONS=$n dotnet "$bench" --filter '*LiveEnumeration*' --artifacts "$O/bdn/live-$n" \
        > "$O/bdn/live-$n.log" 2>&1 || { tail -40 "$O/bdn/live-$n.log"; die "benchmark at $n sessions failed"; }
    cp "$O/bdn/live-$n/results/"*LiveEnumeration*-report-github.md "$O/enumeration-$n.md"
    timing "enumeration benchmarks at $n sessions: $(ms_since "$t0") ms"
    cat "$O/enumeration-$n.md"
done
t0=$(now)
iscsiadm -m node -U all > /dev/null 2>&1
[[ -n $SIZES ]] && timing "logouts: iscsiadm -m node -U all of $(echo $SIZES | awk '{print $NF}') sessions in $(ms_since "$t0") ms"

rc=0
if [[ $LOGIN_SIZES != none ]]; then
    # Login/logout: a clean node DB with exactly 64 (the largest login size) targets.
    max=${LOGIN_SIZES##*,}
    iscsiadm -m node -o delete > /dev/null 2>&1
    lio_remove_all
    t0=$(now)
    for ((i = 1; i <= max; i++)); do lio_create "$prefix:l$i" 4 1 "$portal" || die "LIO target l$i"; done
    timing "login targets: $max LIO targets ready in $(ms_since "$t0") ms (configfs)"
    iscsiadm -m discovery -t st -p "$portal" > /dev/null 2>&1 || die "discovery"
    for ((i = 1; i <= max; i++)); do echo "$prefix:l$i"; done > /tmp/targets.txt
    t0=$(now)
    dotnet "$bench" login --portal "$portal" --targets /tmp/targets.txt --out "$O/vm-login.md" --sizes "$LOGIN_SIZES" \
        --reps "$LOGIN_REPS" --large-reps "$LOGIN_LARGE_REPS" --profile "$O/vm-login-profile.md" 2>&1 | tee "$O/bdn/login.log"
    rc=${PIPESTATUS[0]}
    timing "login harness: $(ms_since "$t0") ms (exit $rc)"
    iscsiadm -m node -U all > /dev/null 2>&1
fi

if [[ $VOLUME_LUNS != none ]]; then
    # Volumes: one target with VOLUME_LUNS LUNs, a clean node DB (the recipe discovers it itself).
    iscsiadm -m node -o delete > /dev/null 2>&1
    lio_remove_all
    vol=$prefix:volumes
    lio_create "$vol" 16 "$VOLUME_LUNS" "$portal" || die "LIO target $vol"
    t0=$(now)
    dotnet "$bench" volumes --target "$vol" --portal "$portal" --recipe "$here/volume-recipe.sh" --luns "$VOLUME_LUNS" \
        --reps "$VOLUME_REPS" --out "$O/volumes-attach.md" 2>&1 | tee "$O/bdn/volumes.log"
    vrc=${PIPESTATUS[0]}
    timing "volume harness: $(ms_since "$t0") ms (exit $vrc)"
    ((rc == 0)) && rc=$vrc
    iscsiadm -m node -U all > /dev/null 2>&1
fi
lio_remove_all

# The hosted session owner: a clean node DB with HOSTING automatic nodes; the harness stops/starts iscsid itself.
if [[ $HOSTING != none ]]; then
    iscsiadm -m node -o delete > /dev/null 2>&1
    lio_remove_all
    t0=$(now)
    for ((i = 1; i <= HOSTING; i++)); do lio_create "$prefix:h$i" 4 1 "$portal" || die "LIO target h$i"; done
    timing "hosting targets: $HOSTING LIO targets ready in $(ms_since "$t0") ms (configfs)"
    iscsiadm -m discovery -t st -p "$portal" > /dev/null 2>&1 || die "discovery"
    iscsiadm -m node -o update -n node.startup -v automatic > /dev/null 2>&1 || die "node.startup"
    for ((i = 1; i <= HOSTING; i++)); do echo "$prefix:h$i"; done > /tmp/htargets.txt
    t0=$(now)
    dotnet "$bench" hosting --targets /tmp/htargets.txt --out "$O/hosting.md" --reps "$LOGIN_REPS" 2>&1 | tee "$O/bdn/hosting.log"
    hrc=${PIPESTATUS[0]}
    timing "hosting harness: $(ms_since "$t0") ms (exit $hrc)"
    ((hrc == 0)) || rc=$hrc
    iscsid_start
    iscsiadm -m node -U all > /dev/null 2>&1
    lio_remove_all
fi
exit "$rc"
