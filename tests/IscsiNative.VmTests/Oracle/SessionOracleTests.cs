using System.Globalization;
using IscsiNative.Iscsid;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// The library against live iscsiadm after iscsiadm logged in to the fixture's targets (the only sessions in the VM):
/// field by field, and byte for byte for <c>-m session [-P 0..3]</c>. Derived classes pick the number of sessions.
/// </summary>
public abstract class SessionOracleTests(VmFixture vm, LoggedInTargetsFixture fixture)
{
    /// <summary>Gets the VM fixture.</summary>
    protected VmFixture Vm => vm;

    [VmFact]
    public void Library_enumeration_matches_iscsiadm_P3_field_by_field()
    {
        LoggedInTargets targets = fixture.Get(vm.Iscsiadm);
        using var reader = new SysfsSessionReader();
        IReadOnlyList<IscsiSession> library = reader.GetSessions();
        ProcessResult p3 = vm.Iscsiadm.Session(3).EnsureSuccess();
        IReadOnlyList<ParsedSession> oracle = IscsiadmTreeParser.Parse(p3.StdOut);

        Assert.Equal(fixture.Count, library.Count);
        Assert.Equal(oracle.Select(s => s.Sid), library.Select(s => s.Sid)); // same sessions, same (alphasort) order
        Assert.Equal(targets.Targets.Select(t => t.Iqn).Order(StringComparer.Ordinal), library.Select(s => s.TargetName).Order(StringComparer.Ordinal));
        var iscsid = new IscsidClient();
        for (int i = 0; i < library.Count; i++)
        {
            IscsiSession s = library[i];
            ParsedSession o = oracle[i];
            string at = $"session {s.Sid}";
            Assert.True(iscsid.TryGetSessionState(s.Sid, TimeSpan.FromSeconds(5), out IscsidSessionState state, out IscsidError error), $"{at}: iscsid {error}");

            Assert.Equal((o.Target, o.NodeType), (s.TargetName, s.IsFlash ? "flash" : "non-flash"));
            Assert.Equal(o.CurrentPortal, $"{s.Address}:{s.Port},{s.Tpgt}");
            Assert.Equal(o.PersistentPortal, $"{s.PersistentAddress}:{s.PersistentPort},{s.Tpgt}");
            var expected = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Iface Name"] = s.IfaceName,
                ["Iface Transport"] = s.TransportName,
                ["Iface Initiatorname"] = s.InitiatorName,
                // iscsiadm prints "default" for what sysfs does not hold; the library reports empty.
                ["Iface IPaddress"] = OrDefault(s.IfaceIPAddress),
                ["Iface HWaddress"] = OrDefault(s.IfaceHWAddress),
                ["Iface Netdev"] = OrDefault(s.IfaceNetdev),
                ["SID"] = Num(s.Sid),
                ["iSCSI Connection State"] = state.ConnectionStateName,
                ["iSCSI Session State"] = s.StateText ?? "Unknown",
                ["Internal iscsid Session State"] = state.InternalStateName,
                ["Recovery Timeout"] = Num(s.RecoveryTimeout),
                ["Target Reset Timeout"] = Num(s.TargetResetTimeout),
                ["LUN Reset Timeout"] = Num(s.LunResetTimeout),
                ["Abort Timeout"] = Num(s.AbortTimeout),
                ["username"] = string.IsNullOrEmpty(s.Username) ? "<empty>" : s.Username,
                ["password"] = "********",
                ["username_in"] = string.IsNullOrEmpty(s.UsernameIn) ? "<empty>" : s.UsernameIn,
                ["password_in"] = "********",
                ["HeaderDigest"] = s.HeaderDigest == true ? "CRC32C" : "None",
                ["DataDigest"] = s.DataDigest == true ? "CRC32C" : "None",
                ["MaxRecvDataSegmentLength"] = Num(s.MaxRecvDataSegmentLength),
                ["MaxXmitDataSegmentLength"] = Num(s.MaxXmitDataSegmentLength),
                ["FirstBurstLength"] = Num(s.FirstBurstLength),
                ["MaxBurstLength"] = Num(s.MaxBurstLength),
                ["ImmediateData"] = s.ImmediateData == true ? "Yes" : "No",
                ["InitialR2T"] = s.InitialR2T == true ? "Yes" : "No",
                ["MaxOutstandingR2T"] = Num(s.MaxOutstandingR2T),
            };
            Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), o.Fields.OrderBy(kv => kv.Key, StringComparer.Ordinal));
            Assert.Equal((o.HostNumber, o.HostState), (s.HostNumber, s.HostState));
            Assert.Equal(
                o.Luns,
                s.Devices.Select(d => new ParsedLun(d.HostNumber, d.Channel, d.Target, d.Lun, d.BlockDevice, d.BlockDevice is null ? null : d.State)));

            // And against the kernel itself: what the test harness sees in sysfs and /dev.
            Assert.Equal(LoggedInTargets.LunsPerTarget, s.Devices.Count);
            Assert.Equal(SysfsProbe.BlockDevices(s.Sid), s.Devices.OrderBy(d => d.Lun).Select(d => d.BlockDevice!));
            Assert.All(s.Devices, d => Assert.True(File.Exists(d.DevicePath), $"{at}: {d.DevicePath} missing"));
            Assert.Equal(IscsiSessionState.LoggedIn, s.State);
            Assert.Equal(vm.InitiatorIqn, s.InitiatorName);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Library_session_text_is_byte_identical_to_live_iscsiadm(int? level)
    {
        VmStage.Require();
        fixture.Get(vm.Iscsiadm);

        string library = LibraryOutput.Session(level);
        ProcessResult iscsiadm = vm.Iscsiadm.Session(level).EnsureSuccess();

        Assert.Equal(string.Empty, iscsiadm.StdErr);
        TextDiff.AssertSame(iscsiadm.StdOut, library, $"iscsiadm -m session{(level is null ? string.Empty : " -P " + level)}");
    }

    /// <summary>Formats a number as iscsiadm does; null (unreadable) would be left out by iscsiadm.</summary>
    private static string Num(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "(missing)";

    private static string OrDefault(string value) => value.Length == 0 ? "default" : value;
}
