#!/bin/bash
# Stage: the IscsiNative.VmTests xunit v3 exe (run directly, not `dotnet test`: far faster under emulation).
#   1. the harness self-check (-trait Stage=HarnessSelfCheck: LIO, iscsiadm/iscsid, portal outages; no library code)
#      -> $VM_OUT/selfcheck.xml. If it fails, the oracle is broken: the library's tests are not run and the stage fails.
#   2. the library's VM tests (everything else) -> $VM_OUT/vmtests.xml.
# Results are written with -result-xml (the xunit XML that build.sh summarises). -longRunning 60 names a test that runs
# over a minute (a hang shows up before VM_TIMEOUT). Extra arguments go to the runner of step 2:
#   tests/vm/run.sh vmtests out -method '*Chap*'      (VM_SELFCHECK=0 leaves out step 1 for such a subset)
# Every test makes its own LIO targets (tests/IscsiNative.VmTests/Infrastructure/LioTarget.cs); none stand ready here.
dll=$VM_REPO/tests/IscsiNative.VmTests/bin/${CONFIG:-Release}/net10.0/IscsiNative.VmTests.dll
[[ -f $dll ]] || { echo "vmtests: $dll is missing; build first (./build.sh build)"; exit 2; }
# LIO computes CHAP_A=8 (SHA3-256) with the kernel's sha3-256, a module the kernel cannot load on demand here (its
# request_module runs the initramfs, which has no modprobe): load it so LIO offers all four CHAP algorithms.
modprobe sha3_generic 2>/dev/null || echo "vmtests: could not load sha3_generic (LIO will refuse CHAP_A=8)"
echo "vmtests: $(basename "$dll") as $(id -un) on $(uname -r)"
if [[ ${VM_SELFCHECK:-1} != 0 ]]; then
    echo "vmtests: harness self-check"
    rc=0
    dotnet "$dll" -noColor -noLogo -longRunning 60 -result-xml "$VM_OUT/selfcheck.xml" -trait "Stage=HarnessSelfCheck" || rc=$?
    if ((rc != 0)); then
        echo "vmtests: the harness self-check failed (exit $rc): the library's VM tests were not run"
        exit "$rc"
    fi
fi
echo "vmtests: library tests"
exec dotnet "$dll" -noColor -noLogo -longRunning 60 -result-xml "$VM_OUT/vmtests.xml" -trait- "Stage=HarnessSelfCheck" "$@"
