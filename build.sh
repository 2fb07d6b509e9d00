#!/usr/bin/env bash
# One entry point for people and CI.
#   ./build.sh demo     build, boot the sandbox VM, discover, log in, show sessions, read the disk, stats, log out
#   ./build.sh test     unit tests on this machine, then the VM stage (real kernel + LIO) under qemu
#   ./build.sh build    build everything (managed + native shim)
#   ./build.sh bench    BenchmarkDotNet runs (fixtures on the host, live ones in the VM), results in benchmarks/results
#   ./build.sh lint     dotnet format --verify-no-changes (also part of test)
#   ./build.sh deps     install what is missing (apt), idempotent
#   ./build.sh fuzz TARGET SECONDS [EXECS] [PLATEAU]   afl-fuzz one parser target (tests/IscsiNative.Fuzz) from its corpus
#   ./build.sh reliability [RUNS [FUZZ_SECONDS [PLATEAU]]]   docs/reliability.md's tables: RUNS VM runs of the reliability tests, afl
# ISCSINATIVE_ALLOW_SKIP=1 (developers only, never CI): `test` leaves out the VM stage and tests whose prerequisites
# (tgtd, root) are missing are reported skipped; without it every such test runs, and fails if it cannot.
set -Eeuo pipefail
# A failing command says where, instead of ending the script silently.
trap 'echo "build.sh: line $LINENO: \"$BASH_COMMAND\" failed (exit $?)" >&2' ERR
cd "$(dirname "$(realpath "$0")")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG=${CONFIG:-Release}
APT_PACKAGES="cmake gcc clang zlib1g-dev libc6-dev make qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils open-iscsi tgt libopeniscsiusr-dev multipath-tools iproute2 nftables"

log() { printf '==> %s\n' "$*" >&2; }

newest_kernel() { { ls /lib/modules 2>/dev/null || true; } | sort -V | tail -n1; }

deps() {
    local missing=()
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # The kernel header the shim's layout asserts compile against: linux-headers-<abi>-common of the newest kernel
    # (the one the VM boots), e.g. linux-headers-6.1.0-57-common for 6.1.0-57-amd64.
    # (On a fresh machine /lib/modules may not exist yet: ls fails, and pipefail must not end the script.)
    local kver; kver=$(newest_kernel)
    if [[ -z $kver ]] && ((${#missing[@]})); then
        local sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        missing=()
        kver=$(newest_kernel)
    fi
    if [[ -n $kver ]]; then
        local headers="linux-headers-${kver%-*}-common"
        dpkg-query -W -f='${Status}' "$headers" 2>/dev/null | grep -q "install ok installed" || missing+=("$headers")
    fi
    if ((${#missing[@]})); then
        log "installing: ${missing[*]}"
        local sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
}

build() {
    log "building ($CONFIG)"
    dotnet build "$ROOT/IscsiNative.sln" -c "$CONFIG" -nologo -clp:ErrorsOnly
    # The CLI operators run is the NativeAOT binary: publishing it on every build keeps it compiling ahead of time.
    log "publishing iscsinat (NativeAOT) to artifacts/iscsinat"
    dotnet publish "$ROOT/samples/IscsiNative.Cli" -c "$CONFIG" -r linux-x64 -o "$ROOT/artifacts/iscsinat" -nologo -clp:ErrorsOnly
}

# Prints the xunit v3 XML totals of one results file as "passed failed skipped not-run".
xml_totals() {
    local f=$1 a v out=()
    a=$(grep -o '<assembly [^>]*>' "$f" | head -1)
    for k in passed failed skipped not-run; do
        v=$(grep -o " $k=\"[0-9]*\"" <<<"$a" | tr -dc 0-9)
        out+=("${v:-0}")
    done
    echo "${out[*]}"
}

RESULTS=$ROOT/artifacts/test-results
STAGES=()   # "name|result file or status word|reason"

unit_tests() {
    log "unit tests"
    mkdir -p "$RESULTS"
    local rc=0
    dotnet "$ROOT/tests/IscsiNative.Tests/bin/$CONFIG/net10.0/IscsiNative.Tests.dll" -noColor -noLogo \
        -result-xml "$RESULTS/unit.xml" || rc=$?
    return $rc
}

# The zero-allocation tests again, with call counting starting at once: tier-1 recompilation (and any one-time
# runtime cost it brings, such as a P/Invoke stub) then lands inside their measured windows on every run instead of
# now and then, so a regression of that kind fails deterministically rather than flakily.
tierup_tests() {
    log "zero-allocation tests under immediate tier-up"
    DOTNET_TC_CallCountingDelayMs=0 dotnet "$ROOT/tests/IscsiNative.Tests/bin/$CONFIG/net10.0/IscsiNative.Tests.dll" \
        -noColor -noLogo -trait "Category=ZeroAllocation" -result-xml "$RESULTS/tierup.xml"
}

lint() {
    log "dotnet format --verify-no-changes"
    dotnet format "$ROOT/IscsiNative.sln" --verify-no-changes --no-restore
}

vm_tests() {
    log "VM stage (qemu, real kernel, LIO)"
    # The self-check and the library's tests in one boot; a bound well above their ~15 min under emulation on 2 cores.
    VM_TIMEOUT=${VM_TIMEOUT:-1800} "$ROOT/tests/vm/run.sh" vmtests "$RESULTS/vm"
}

# One line per stage (counts, or why it did not run), then the verdict. A stage without results fails the run,
# unless the run opted out of it (ISCSINATIVE_ALLOW_SKIP=1, see the README).
summary() {
    local tp=0 tf=0 ts=0 tn=0 p f sk n verdict=PASSED name what reason line files=()
    # The failed tests first (name, message, stack, end of output): a log cut to its tail still says what failed.
    for line in "${STAGES[@]}"; do
        IFS='|' read -r name what reason <<<"$line"
        if [[ -s $what ]]; then files+=("$what"); fi
    done
    # With the VM's dmesg and its clock pair, each failed VM test also shows the kernel's messages of its time window.
    if [[ -s $RESULTS/vm/dmesg.txt && -s $RESULTS/vm/.vm/clock ]]; then files+=(--dmesg "$RESULTS/vm/dmesg.txt" --clock "$RESULTS/vm/.vm/clock"); fi
    if ((${#files[@]})); then perl "$ROOT/tests/print-failures.pl" "${files[@]}"; fi
    echo "==> summary"
    for line in "${STAGES[@]}"; do
        IFS='|' read -r name what reason <<<"$line"
        case $what in
            passed|failed)
                printf '    %-22s %s\n' "$name:" "$what"
                [[ $what == failed ]] && verdict=FAILED ;;
            opted-out)
                printf '    %-22s not run (%s)\n' "$name:" "$reason" ;;
            *)
                if [[ ! -s $what ]]; then
                    printf '    %-22s not run (%s)\n' "$name:" "${reason:-no results: the stage did not run}"
                    verdict=FAILED
                    continue
                fi
                read -r p f sk n < <(xml_totals "$what")
                printf '    %-22s %s passed, %s failed, %s skipped, %s not run\n' "$name:" "$p" "$f" "$sk" "$n"
                tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + sk)); tn=$((tn + n))
                ((f == 0 && n == 0 && (sk == 0 || ${ISCSINATIVE_ALLOW_SKIP:-0} == 1))) || verdict=FAILED ;;
        esac
    done
    # The library tests' order (xunit shuffles by a seed each run): the same order again is `-seed N` to run.sh.
    local seed
    seed=$(grep -o 'seed = [0-9]*' "$RESULTS/vm/console.log" 2>/dev/null | tail -n 1 | tr -dc 0-9 || true)
    if [[ -n $seed ]]; then printf '    %-22s %s (same order: tests/vm/run.sh vmtests OUT -seed %s)\n' "VM test order seed:" "$seed" "$seed"; fi
    echo "    verdict:               $verdict"
    echo "Tests: $tp passed, $tf failed, $ts skipped"
    [[ $verdict == PASSED ]]
}

# afl++ (Debian) and the SharpFuzz instrumenter, installed once (idempotent: nothing is fetched when both are there).
fuzz_deps() {
    if ! command -v afl-fuzz >/dev/null; then
        log "installing afl++"
        local sudo=; [[ $(id -u) == 0 ]] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends afl++ >/dev/null
    fi
    if [[ ! -x $ROOT/artifacts/tools/sharpfuzz ]]; then
        log "installing SharpFuzz.CommandLine 2.3.0"
        dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$ROOT/artifacts/tools" >/dev/null
    fi
}

# Builds the fuzz host once and instruments a copy of the library assemblies (IscsiNative, IscsiNative.Nodes) - only
# those: the host, SharpFuzz and the framework stay uninstrumented, so afl's map holds the parsers' edges only.
# ISCSINATIVE_FUZZ_PREBUILT=1 reuses artifacts/fuzz/bin (tests/fuzz/report.sh builds once for all targets).
fuzz_prepare() {
    fuzz_deps
    local bin=$ROOT/artifacts/fuzz/bin
    [[ ${ISCSINATIVE_FUZZ_PREBUILT:-0} == 1 && -f $bin/IscsiNative.Fuzz.dll ]] && return 0
    dotnet build "$ROOT/tests/IscsiNative.Fuzz/IscsiNative.Fuzz.csproj" -c "$CONFIG" -nologo -clp:ErrorsOnly
    rm -rf "$bin"; mkdir -p "$bin"
    cp -r "$ROOT/tests/IscsiNative.Fuzz/bin/$CONFIG/net10.0/." "$bin/"
    for dll in IscsiNative.dll IscsiNative.Nodes.dll; do
        "$ROOT/artifacts/tools/sharpfuzz" "$bin/$dll" >/dev/null
    done
}

# ./build.sh fuzz TARGET SECONDS [EXECS] [PLATEAU_SECONDS]
# Runs afl-fuzz on one target (persistent, in-process SharpFuzz host) under nice -n ${FUZZ_NICE:-15} until SECONDS have passed,
# EXECS executions are done (default 10 million; 0 = no limit) or no new path was found for PLATEAU_SECONDS (default:
# no plateau exit). Prints afl's counters.
fuzz() {
    local target=${1:?usage: ./build.sh fuzz TARGET SECONDS [EXECS] [PLATEAU_SECONDS]}
    local seconds=${2:?usage: ./build.sh fuzz TARGET SECONDS [EXECS] [PLATEAU_SECONDS]}
    local execs=${3:-10000000} plateau=${4:-0}
    local corpus=$ROOT/tests/fuzz/corpus/$target
    [[ -d $corpus ]] || { echo "no corpus for '$target' (targets: $(ls "$ROOT/tests/fuzz/corpus" | tr '\n' ' '))" >&2; exit 2; }
    fuzz_prepare
    local bin=$ROOT/artifacts/fuzz/bin out=$ROOT/artifacts/fuzz/$target
    rm -rf "$out"
    echo "$plateau" >"$out.plateau"
    local limits=(-V "$seconds") env=()
    ((execs > 0)) && limits+=(-E "$execs")
    ((plateau > 0)) && env+=("AFL_EXIT_ON_TIME=$plateau")
    echo "afl-fuzz ${limits[*]}" >"$out.cmd"
    log "afl-fuzz $target for at most ${seconds}s / $execs executions / ${plateau}s without a new path (0 = no limit)"
    # AFL_SKIP_BIN_CHECK: the target is `dotnet`, not an afl-instrumented ELF. AFL_FAST_CAL: fewer calibration runs
    # (the .NET host is deterministic, stability 100 %). AFL_NO_AFFINITY: the cores are shared with other work.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    env "${env[@]}" AFL_FAST_CAL=1 DOTNET_gcConcurrent=0 DOTNET_TieredPGO=0 \
        nice -n "${FUZZ_NICE:-15}" afl-fuzz "${limits[@]}" -t 5000 -m none -i "$corpus" -o "$out" -- dotnet "$bin/IscsiNative.Fuzz.dll" "$target" --afl-file @@ >"$out.log" 2>&1 || {
        tail -20 "$out.log" >&2; exit 1; }
    local stats=$out/default/fuzzer_stats
    printf '%s: executions %s, exec/s %s, paths %s, crashes %s, hangs %s\n' "$target" \
        "$(awk -F' *: ' '$1=="execs_done"{print $2}' "$stats")" "$(awk -F' *: ' '$1=="execs_per_sec"{print $2}' "$stats")" \
        "$(awk -F' *: ' '$1=="corpus_count"{print $2}' "$stats")" \
        "$(awk -F' *: ' '$1=="saved_crashes"{print $2}' "$stats")" "$(awk -F' *: ' '$1=="saved_hangs"{print $2}' "$stats")"
    if compgen -G "$out/default/crashes/id:*" >/dev/null || compgen -G "$out/default/hangs/id:*" >/dev/null; then
        echo "crash/hang inputs in $out/default/{crashes,hangs} (replay: dotnet tests/IscsiNative.Fuzz/bin/$CONFIG/net10.0/IscsiNative.Fuzz.dll $target FILE)"
    fi
}

cmd=${1:-test}; shift || true
case $cmd in
    deps) deps ;;
    lint) deps; build; lint ;;
    build) deps; build ;;
    test)
        deps; build
        rm -rf "$RESULTS"
        mkdir -p "$RESULTS"
        rc=0
        if lint; then STAGES+=("lint|passed|"); else STAGES+=("lint|failed|"); fi
        unit_tests || true
        STAGES+=("unit|$RESULTS/unit.xml|")
        tierup_tests || true
        STAGES+=("unit, tier-up|$RESULTS/tierup.xml|")
        if [[ ${ISCSINATIVE_ALLOW_SKIP:-0} == 1 ]]; then
            STAGES+=("VM self-check|opted-out|ISCSINATIVE_ALLOW_SKIP=1")
            STAGES+=("VM tests|opted-out|ISCSINATIVE_ALLOW_SKIP=1")
        else
            vmrc=0
            vm_tests || vmrc=$?
            STAGES+=("VM self-check|$RESULTS/vm/selfcheck.xml|VM stage exit $vmrc before the self-check wrote results")
            STAGES+=("VM tests|$RESULTS/vm/vmtests.xml|VM stage exit $vmrc; see $RESULTS/vm/console.log")
            # A stage that exits non-zero with complete results (e.g. a crash after the runner) still fails.
            ((vmrc == 0)) || STAGES+=("VM stage exit|failed|")
        fi
        summary || rc=$?
        exit $rc ;;
    demo)
        deps; build
        if [[ -x $ROOT/tests/vm/run.sh ]]; then
            "$ROOT/tests/vm/run.sh" demo "$ROOT/artifacts/demo"
        else
            dotnet "$ROOT/samples/IscsiNative.Cli/bin/$CONFIG/net10.0/iscsinat.dll" session "$@"
        fi ;;
    bench)
        deps; build
        "$ROOT/benchmarks/run.sh" "$@" ;;
    fuzz) fuzz "$@" ;;
    reliability)
        deps; build
        "$ROOT/tests/reliability/report.sh" "$@" ;;
    fuzz-prepare) fuzz_prepare ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
esac
