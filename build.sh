#!/usr/bin/env bash
# One entry point for people and CI.
#   ./build.sh demo     build, boot the sandbox VM, discover, log in, show sessions, read the disk, stats, log out
#   ./build.sh test     unit tests on this machine, then the VM stage (real kernel + LIO) under qemu
#   ./build.sh build    build everything (managed + native shim)
#   ./build.sh bench    BenchmarkDotNet runs (fixtures on the host, live ones in the VM), results in benchmarks/results
#   ./build.sh lint     dotnet format --verify-no-changes (also part of test)
#   ./build.sh deps     install what is missing (apt), idempotent
#   ./build.sh fuzz TARGET SECONDS   afl-fuzz one parser target (tests/IscsiNative.Fuzz) from its checked-in corpus
set -euo pipefail
cd "$(dirname "$(realpath "$0")")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG=${CONFIG:-Release}
APT_PACKAGES="cmake gcc libc6-dev make qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils open-iscsi tgt libopeniscsiusr-dev"

log() { printf '==> %s\n' "$*" >&2; }

deps() {
    local missing=()
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
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
}

# Prints the xunit v3 XML totals of one results file as "passed failed skipped".
xml_totals() {
    local f=$1
    [[ -f $f ]] || { echo "0 0 0"; return; }
    local p fl s
    p=$(grep -o 'passed="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    fl=$(grep -o 'failed="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    s=$(grep -o 'skipped="[0-9]*"' "$f" | head -1 | tr -dc 0-9)
    echo "${p:-0} ${fl:-0} ${s:-0}"
}

unit_tests() {
    log "unit tests"
    mkdir -p "$ROOT/artifacts/test-results"
    local rc=0
    dotnet "$ROOT/tests/IscsiNative.Tests/bin/$CONFIG/net10.0/IscsiNative.Tests.dll" -noColor -noLogo \
        -result-xml "$ROOT/artifacts/test-results/unit.xml" || rc=$?
    return $rc
}

lint() {
    log "dotnet format --verify-no-changes"
    dotnet format "$ROOT/IscsiNative.sln" --verify-no-changes --no-restore
}

vm_tests() {
    log "VM stage (qemu, real kernel, LIO)"
    "$ROOT/tests/vm/run.sh" vmtests "$ROOT/artifacts/test-results/vm"
}

summary() {
    local tp=0 tf=0 ts=0 p f s
    for x in "$ROOT"/artifacts/test-results/unit.xml "$ROOT"/artifacts/test-results/vm/*.xml; do
        [[ -f $x ]] || continue
        read -r p f s < <(xml_totals "$x")
        printf '    %-40s %s passed, %s failed, %s skipped\n' "${x#"$ROOT"/}" "$p" "$f" "$s"
        tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
    done
    echo "Tests: $tp passed, $tf failed, $ts skipped"
}

# afl++ (Debian) and the SharpFuzz instrumenter, installed once.
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

# Builds the fuzz host, instruments a copy of the library, runs afl-fuzz for SECONDS, prints afl's counters.
fuzz() {
    local target=${1:?usage: ./build.sh fuzz TARGET SECONDS} seconds=${2:?usage: ./build.sh fuzz TARGET SECONDS}
    local corpus=$ROOT/tests/fuzz/corpus/$target
    [[ -d $corpus ]] || { echo "no corpus for '$target' (targets: $(ls "$ROOT/tests/fuzz/corpus" | tr '\n' ' '))" >&2; exit 2; }
    fuzz_deps
    dotnet build "$ROOT/tests/IscsiNative.Fuzz/IscsiNative.Fuzz.csproj" -c "$CONFIG" -nologo -clp:ErrorsOnly
    local bin=$ROOT/artifacts/fuzz/bin out=$ROOT/artifacts/fuzz/$target
    rm -rf "$bin" "$out"; mkdir -p "$bin"
    cp -r "$ROOT/tests/IscsiNative.Fuzz/bin/$CONFIG/net10.0/." "$bin/"
    "$ROOT/artifacts/tools/sharpfuzz" "$bin/IscsiNative.dll" >/dev/null
    log "afl-fuzz $target for ${seconds}s"
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
        afl-fuzz -V "$seconds" -t 5000 -m none -i "$corpus" -o "$out" -- dotnet "$bin/IscsiNative.Fuzz.dll" "$target" >"$out.log" 2>&1 || {
        tail -20 "$out.log" >&2; exit 1; }
    local stats=$out/default/fuzzer_stats
    printf '%s: executions %s, paths %s, crashes %s, hangs %s\n' "$target" \
        "$(awk -F': ' '/^execs_done/{print $2}' "$stats")" "$(awk -F': ' '/^corpus_count/{print $2}' "$stats")" \
        "$(awk -F': ' '/^saved_crashes/{print $2}' "$stats")" "$(awk -F': ' '/^saved_hangs/{print $2}' "$stats")"
    if compgen -G "$out/default/crashes/id:*" >/dev/null; then
        echo "crash inputs in $out/default/crashes (replay: dotnet tests/IscsiNative.Fuzz/bin/$CONFIG/net10.0/IscsiNative.Fuzz.dll $target FILE)"
    fi
}

cmd=${1:-test}; shift || true
case $cmd in
    deps) deps ;;
    lint) deps; build; lint ;;
    build) deps; build ;;
    test)
        deps; build
        rm -rf "$ROOT/artifacts/test-results"
        rc=0
        lint || rc=$?
        unit_tests || rc=$?
        if [[ -x $ROOT/tests/vm/run.sh ]]; then vm_tests || rc=$?; fi
        summary
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
    *) sed -n '2,10p' "$0"; exit 2 ;;
esac
