using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IscsiNative.Cli;
using IscsiNative.Cli.Iscsiadm;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using IscsiNative.Tests.Sysfs;
using IscsiNative.Volumes;

namespace IscsiNative.Tests.Cli;

/// <summary>
/// The CLI writes <c>--json</c> for sessions and volumes by hand (no serializer metadata in the NativeAOT image); its
/// bytes must stay what System.Text.Json's source-generated serializer wrote with the CLI's former options.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class CliJsonTests
{
    [Fact]
    public void Sessions_from_the_captured_sysfs_are_written_as_the_serializer_wrote_them()
    {
        IReadOnlyList<IscsiSession> sessions;
        using (var reader = new SysfsSessionReader(Fixtures.CapturedRoot))
        {
            sessions = reader.GetSessions();
        }

        Assert.Equal(4, sessions.Count);
        Assert.Equal(SerializerSessions(sessions), Written(env => CliJson.WriteSessions(env, sessions)));
    }

    [Fact]
    public void Sessions_with_login_parameters_ipv6_portal_and_unnamed_enum_values_are_written_as_the_serializer_wrote_them()
    {
        var parameters = new NegotiatedParameters
        {
            TargetName = "iqn.2003-01.org.example:t\"1",
            TargetAlias = null,
            TargetPortalGroupTag = 3,
            Isid = 0x023d_0000_0001UL,
            Tsih = 7,
            Cid = 1,
            MaxRecvDataSegmentLength = 262144,
            MaxXmitDataSegmentLength = 65536,
            FirstBurstLength = 65536,
            MaxBurstLength = 262144,
            ImmediateData = true,
            InitialR2T = false,
            MaxOutstandingR2T = 1,
            MaxConnections = 1,
            HeaderDigest = IscsiDigest.Crc32C,
            DataDigest = (IscsiDigest)9,
            DataPduInOrder = true,
            DataSequenceInOrder = true,
            ErrorRecoveryLevel = 0,
            DefaultTime2Wait = 2,
            DefaultTime2Retain = 20,
            IFMarker = false,
            OFMarker = true,
            ChapAlgorithm = ChapAlgorithm.Sha3_256,
            CmdSN = uint.MaxValue,
            StatSN = 5,
            ExpStatSN = 6,
            ExpCmdSN = 7,
            MaxCmdSN = 8,
        };
        IscsiSession[] sessions =
        [
            new IscsiSession
            {
                Sid = 12,
                HostNumber = null,
                TargetName = "iqn.2003-01.org.example:<t>&ü",
                State = (IscsiSessionState)42,
                StateText = null,
                IsFlash = true,
                Address = "fe80::1",
                Port = 3260,
                HeaderDigest = true,
                DataDigest = null,
                Devices = [new IscsiDevice(2, 0, 0, 1) { ScsiType = 0, State = "running", BlockDevice = "sdb" }, new IscsiDevice(2, 0, 0, 2)],
                Portal = new IscsiPortal("fe80::1", 3261),
                Parameters = parameters,
                LogoutTimeout = TimeSpan.FromMilliseconds(1500),
            },
            new IscsiSession { Parameters = parameters with { ChapAlgorithm = null, HeaderDigest = IscsiDigest.NoneThenCrc32C } },
        ];
        Assert.Equal(SerializerSessions(sessions), Written(env => CliJson.WriteSessions(env, sessions)));
        Assert.Equal("[]\n", Written(env => CliJson.WriteSessions(env, [])));
    }

    [Fact]
    public void Volumes_are_written_as_the_serializer_wrote_them()
    {
        AttachedVolume[] volumes =
        [
            new AttachedVolume
            {
                TargetName = "iqn.2003-01.org.example:d",
                Lun = 1,
                DevicePath = "/dev/dm-3",
                IsMultipath = true,
                MapName = "mpatha",
                Wwid = "36001405abc",
                SizeBytes = 1L << 40,
                StablePaths = ["/dev/disk/by-id/wwn-0x6001405abc", "/dev/mapper/mpatha"],
                Paths = [new VolumePath("10.0.0.1:3260", 3, 4, "4:0:0:1", "sdc", "running"), new VolumePath("[fe80::1]:3260", 5, 6, "6:0:0:1", "sdd", "blocked")],
                FailedPortals = ["10.0.0.9:3260"],
            },
            new AttachedVolume { TargetName = "t", Lun = 0, DevicePath = "/dev/sda", IsMultipath = false, SizeBytes = 0, Paths = [] },
        ];
        Assert.Equal(SerializerVolumes(volumes), Written(env => CliJson.WriteVolumes(env, volumes)));
    }

    private static string Written(Action<CliEnvironment> write)
    {
        using var stdout = new MemoryStream();
        write(new CliEnvironment(stdout, TextWriter.Null));
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    private static string SerializerSessions(IReadOnlyList<IscsiSession> sessions)
    {
        using var stdout = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            JsonSerializer.Serialize(writer, sessions, FormerCliJsonContext.Default.IReadOnlyListIscsiSession);
        }

        stdout.Write("\n"u8);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    private static string SerializerVolumes(IReadOnlyList<AttachedVolume> volumes)
    {
        using var stdout = new MemoryStream();
        JsonSerializer.Serialize(stdout, volumes, FormerCliJsonContext.Default.IReadOnlyListAttachedVolume);
        stdout.Write("\n"u8);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>The CLI's former serializer context, options unchanged.</summary>
    [JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(IReadOnlyList<IscsiSession>))]
    [JsonSerializable(typeof(IReadOnlyList<AttachedVolume>))]
    internal sealed partial class FormerCliJsonContext : JsonSerializerContext;
}
