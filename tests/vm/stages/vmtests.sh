#!/bin/bash
# Stage: the IscsiNative.VmTests xunit v3 exe (run directly, not `dotnet test`: far faster under
# emulation). Results: $VM_OUT/vmtests.xml, written with -result-xml (the xunit v2+ XML format that
# build.sh summarises; plain -xml is deprecated in xunit.v3 4.x and prints a warning).
# -longRunning 60 names a test that runs over a minute (a hang shows up before VM_TIMEOUT).
# Extra arguments go to the xunit runner: tests/vm/run.sh vmtests out -method '*Chap*'.
# Every test makes its own LIO targets (tests/IscsiNative.VmTests/Infrastructure/LioTarget.cs); none stand ready here.
dll=$VM_REPO/tests/IscsiNative.VmTests/bin/${CONFIG:-Release}/net10.0/IscsiNative.VmTests.dll
[[ -f $dll ]] || { echo "vmtests: $dll is missing; build first (./build.sh build)"; exit 2; }
# LIO computes CHAP_A=8 (SHA3-256) with the kernel's sha3-256, a module the kernel cannot load on demand here (its
# request_module runs the initramfs, which has no modprobe): load it so LIO offers all four CHAP algorithms.
modprobe sha3_generic 2>/dev/null || echo "vmtests: could not load sha3_generic (LIO will refuse CHAP_A=8)"
echo "vmtests: $(basename "$dll") as $(id -un) on $(uname -r)"
exec dotnet "$dll" -noColor -noLogo -longRunning 60 -result-xml "$VM_OUT/vmtests.xml" "$@"
