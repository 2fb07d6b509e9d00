#!/bin/bash
# Stage: the IscsiNative.VmTests xunit v3 exe (run directly, not `dotnet test`: far faster under
# emulation). Results: $VM_OUT/vmtests.xml. Extra arguments go to the xunit runner (-method, -class ...).
dll=$VM_REPO/tests/IscsiNative.VmTests/bin/${CONFIG:-Release}/net10.0/IscsiNative.VmTests.dll
[[ -f $dll ]] || { echo "vmtests: $dll is missing; build first (./build.sh build)"; exit 2; }
echo "vmtests: $(basename "$dll") as $(id -un) on $(uname -r)"
exec dotnet "$dll" -noColor -noLogo -xml "$VM_OUT/vmtests.xml" "$@"
