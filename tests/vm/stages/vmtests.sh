#!/bin/bash
# Stage: the IscsiNative.VmTests xunit v3 exe (run directly, not `dotnet test`: far faster under
# emulation). Results: $VM_OUT/vmtests.xml, written with -result-xml (the xunit v2+ XML format that
# build.sh summarises; plain -xml is deprecated in xunit.v3 4.x and prints a warning).
# Extra arguments go to the xunit runner: tests/vm/run.sh vmtests out -method '*Chap*'.
dll=$VM_REPO/tests/IscsiNative.VmTests/bin/${CONFIG:-Release}/net10.0/IscsiNative.VmTests.dll
[[ -f $dll ]] || { echo "vmtests: $dll is missing; build first (./build.sh build)"; exit 2; }
echo "vmtests: $(basename "$dll") as $(id -un) on $(uname -r)"
exec dotnet "$dll" -noColor -noLogo -result-xml "$VM_OUT/vmtests.xml" "$@"
