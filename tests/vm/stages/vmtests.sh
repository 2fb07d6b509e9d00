#!/bin/bash
# Stage: the IscsiNative.VmTests xunit v3 exe (run directly, not `dotnet test`: far faster under
# emulation). Results: $VM_OUT/vmtests.xml, written with -result-xml (the xunit v2+ XML format that
# build.sh summarises; plain -xml is deprecated in xunit.v3 4.x and prints a warning).
# -longRunning 60 names a test that runs over a minute (a hang shows up before VM_TIMEOUT).
# Extra arguments go to the xunit runner: tests/vm/run.sh vmtests out -method '*Chap*'.
dll=$VM_REPO/tests/IscsiNative.VmTests/bin/${CONFIG:-Release}/net10.0/IscsiNative.VmTests.dll
[[ -f $dll ]] || { echo "vmtests: $dll is missing; build first (./build.sh build)"; exit 2; }
# A standing target for tests that expect one instead of making their own (Netlink/KernelTransportVmTests):
# iqn.2003-01.org.linux-iscsi.stage:t1, one 64 MiB LUN, 127.0.0.1:3260, open ACLs, no CHAP.
. "$VM_REPO/tests/vm/stages/lio.sh"
lio_create iqn.2003-01.org.linux-iscsi.stage:t1 64 1 || echo "vmtests: could not create the standing target stage:t1"
echo "vmtests: $(basename "$dll") as $(id -un) on $(uname -r)"
exec dotnet "$dll" -noColor -noLogo -longRunning 60 -result-xml "$VM_OUT/vmtests.xml" "$@"
