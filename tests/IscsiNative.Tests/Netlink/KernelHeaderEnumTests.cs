using System.Runtime.InteropServices;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// The C# mirrors of the kernel's enums hold exactly the values of the real <c>include/scsi/iscsi_if.h</c> of the
/// kernel the VM boots: the shim compiles a table from that header (pal_kernel_abi.c) and this test compares it
/// with <see cref="IscsiUeventType"/>, <see cref="IscsiParam"/> and <see cref="IscsiConnectionError"/>, by value
/// and by name. The struct layouts (iscsi_uevent, iscsi_stats) are checked by the shim's static asserts against the
/// same header and by <see cref="LayoutTests"/>.
/// </summary>
public sealed class KernelHeaderEnumTests
{
    [Fact]
    public void Uevent_types_match_the_kernel_header() =>
        AssertSame(IscsiNative.Interop.Shim.AbiUevent, Enum.GetValues<IscsiUeventType>().ToDictionary(v => (long)(uint)v, v => v.ToKernelName()));

    [Fact]
    public void Params_match_the_kernel_header() =>
        AssertSame(IscsiNative.Interop.Shim.AbiParam, Enum.GetValues<IscsiParam>().ToDictionary(v => (long)(uint)v, v => "ISCSI_PARAM_" + v));

    [Fact]
    public void Connection_errors_match_the_kernel_header() =>
        AssertSame(IscsiNative.Interop.Shim.AbiErr, Enum.GetValues<IscsiConnectionError>().ToDictionary(v => (long)(uint)v, v => v == IscsiConnectionError.Ok ? "ISCSI_OK" : "ISCSI_ERR_" + v));

    private static void AssertSame(int table, Dictionary<long, string> managed)
    {
        Dictionary<long, string> kernel = Read(table);
        Assert.True(kernel.Count > 0, "the shim has no entries for this table");
        Assert.Equal(kernel.Keys.Order(), managed.Keys.Order());
        foreach ((long value, string name) in kernel)
        {
            Assert.True(
                Squash(name) == Squash(managed[value]),
                $"value {value}: the header names it {name}, C# {managed[value]}");
        }
    }

    private static unsafe Dictionary<long, string> Read(int wanted)
    {
        var result = new Dictionary<long, string>();
        for (int i = 0; ; i++)
        {
            int rc = IscsiNative.Interop.Shim.GetKernelAbiEntry(i, out int table, out byte* name, out long value);
            Assert.True(rc != -2, "libiscsinative was built without the kernel's scsi/iscsi_if.h (install linux-headers-<abi>-common: ./build.sh deps)");

            Assert.True(rc >= 0, $"GetKernelAbiEntry({i}) = {rc}");
            if (rc == 0)
            {
                return result;
            }

            if (table == wanted)
            {
                result.Add(value, Marshal.PtrToStringUTF8((nint)name)!);
            }
        }
    }

    // C# names are PascalCase of the kernel's words; compare without underscores and case.
    private static string Squash(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
