using System.Globalization;
using System.Text.Json;
using IscsiNative.Nodes;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using IscsiNative.Volumes;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary>
/// <c>--json</c> for the listing modes: one JSON array on stdout, camelCase keys, written by hand with
/// <see cref="Utf8JsonWriter"/> (AOT-safe, stable key order). The schema is documented in README.md.
/// </summary>
internal static class CliJson
{
    internal static void WriteNodes(CliEnvironment env, IReadOnlyList<IscsiNodeRecord> nodes) => Write(env, w =>
    {
        foreach (IscsiNodeRecord n in nodes)
        {
            w.WriteStartObject();
            w.WriteString("targetName", n.TargetName);
            w.WriteString("address", n.Portal.Address);
            w.WriteNumber("port", n.Portal.Port);
            w.WriteNumber("tpgt", n.Tpgt);
            w.WriteString("iface", n.IfaceName);
            w.WriteString("startup", n.GetValue("node.startup"));
            w.WriteString("discoveryType", n.DiscoveryType);
            w.WriteEndObject();
        }
    });

    internal static void WriteDiscovered(CliEnvironment env, IReadOnlyList<IscsiNodeTarget> found, string iface) => Write(env, w =>
    {
        foreach (IscsiNodeTarget t in found)
        {
            w.WriteStartObject();
            w.WriteString("targetName", t.TargetName);
            w.WriteString("address", t.Portal.Address);
            w.WriteNumber("port", t.Portal.Port);
            w.WriteNumber("tpgt", t.Tpgt);
            w.WriteString("iface", iface);
            w.WriteEndObject();
        }
    });

    internal static void WriteDiscoveryRecords(CliEnvironment env, IReadOnlyList<(string Address, int Port)> records) => Write(env, w =>
    {
        foreach ((string address, int port) in records)
        {
            w.WriteStartObject();
            w.WriteString("address", address);
            w.WriteNumber("port", port);
            w.WriteString("type", "sendtargets");
            w.WriteEndObject();
        }
    });

    internal static void WriteIfaces(CliEnvironment env, IReadOnlyList<HostIfaceMode.IfaceRow> rows) => Write(env, w =>
    {
        foreach (HostIfaceMode.IfaceRow r in rows)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteString("transport", r.Transport);
            w.WriteString("hwAddress", r.HwAddress);
            w.WriteString("ipAddress", r.IpAddress);
            w.WriteString("netDev", r.NetDev);
            w.WriteString("initiatorName", r.InitiatorName);
            w.WriteEndObject();
        }
    });

    internal static void WriteHosts(CliEnvironment env, IReadOnlyList<HostIfaceMode.HostRow> rows) => Write(env, w =>
    {
        foreach (HostIfaceMode.HostRow r in rows)
        {
            w.WriteStartObject();
            w.WriteNumber("hostNumber", r.HostNumber);
            w.WriteString("transport", r.Transport);
            w.WriteString("ipAddress", r.IpAddress);
            w.WriteString("hwAddress", r.HwAddress);
            w.WriteString("netDev", r.NetDev);
            w.WriteString("initiatorName", r.InitiatorName);
            w.WriteEndObject();
        }
    });

    /// <summary>
    /// <c>-m session --json</c>: the <see cref="IscsiSession"/> records with every public property in declaration order,
    /// camelCase keys, enums as their names and null for what is absent: byte for byte what System.Text.Json's
    /// serializer wrote for them (CliJsonTests compares the two), without its converter and metadata types in the image.
    /// </summary>
    internal static void WriteSessions(CliEnvironment env, IReadOnlyList<IscsiSession> sessions) => Write(env, w =>
    {
        foreach (IscsiSession s in sessions)
        {
            w.WriteStartObject();
            w.WriteNumber("sid", s.Sid);
            Number(w, "hostNumber", s.HostNumber);
            w.WriteString("targetName", s.TargetName);
            Number(w, "tpgt", s.Tpgt);
            Enum(w, "state", (int)s.State, s.State switch
            {
                IscsiSessionState.Unknown => "Unknown",
                IscsiSessionState.LoggedIn => "LoggedIn",
                IscsiSessionState.Failed => "Failed",
                IscsiSessionState.Free => "Free",
                _ => null,
            });
            w.WriteString("stateText", s.StateText);
            w.WriteBoolean("isFlash", s.IsFlash);
            Number(w, "creator", s.Creator);
            w.WriteString("address", s.Address);
            Number(w, "port", s.Port);
            w.WriteString("persistentAddress", s.PersistentAddress);
            Number(w, "persistentPort", s.PersistentPort);
            w.WriteString("connectionState", s.ConnectionState);
            w.WriteString("ifaceName", s.IfaceName);
            w.WriteString("transportName", s.TransportName);
            w.WriteString("initiatorName", s.InitiatorName);
            w.WriteString("ifaceIPAddress", s.IfaceIPAddress);
            w.WriteString("ifaceHWAddress", s.IfaceHWAddress);
            w.WriteString("ifaceNetdev", s.IfaceNetdev);
            Number(w, "recoveryTimeout", s.RecoveryTimeout);
            Number(w, "targetResetTimeout", s.TargetResetTimeout);
            Number(w, "lunResetTimeout", s.LunResetTimeout);
            Number(w, "abortTimeout", s.AbortTimeout);
            w.WriteString("username", s.Username);
            w.WriteString("usernameIn", s.UsernameIn);
            Boolean(w, "headerDigest", s.HeaderDigest);
            Boolean(w, "dataDigest", s.DataDigest);
            Number(w, "maxRecvDataSegmentLength", s.MaxRecvDataSegmentLength);
            Number(w, "maxXmitDataSegmentLength", s.MaxXmitDataSegmentLength);
            Number(w, "firstBurstLength", s.FirstBurstLength);
            Number(w, "maxBurstLength", s.MaxBurstLength);
            Boolean(w, "immediateData", s.ImmediateData);
            Boolean(w, "initialR2T", s.InitialR2T);
            Number(w, "maxOutstandingR2T", s.MaxOutstandingR2T);
            w.WriteString("hostState", s.HostState);
            w.WriteStartArray("devices");
            foreach (IscsiDevice d in s.Devices)
            {
                w.WriteStartObject();
                w.WriteNumber("hostNumber", d.HostNumber);
                w.WriteNumber("channel", d.Channel);
                w.WriteNumber("target", d.Target);
                w.WriteNumber("lun", d.Lun);
                Number(w, "scsiType", d.ScsiType);
                w.WriteString("state", d.State);
                w.WriteString("blockDevice", d.BlockDevice);
                w.WriteString("devicePath", d.DevicePath);
                w.WriteString("hctl", d.Hctl);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (s.Portal is { } portal)
            {
                w.WriteStartObject("portal");
                w.WriteString("address", portal.Address);
                w.WriteNumber("port", portal.Port);
                w.WriteBoolean("isIPv6", portal.IsIPv6);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("portal");
            }

            if (s.Parameters is { } p)
            {
                WriteParameters(w, p);
            }
            else
            {
                w.WriteNull("parameters");
            }

            w.WriteString("logoutTimeout", s.LogoutTimeout.ToString("c", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
    });

    /// <summary><c>volume ... --json</c>: the <see cref="AttachedVolume"/> records, as the serializer wrote them.</summary>
    internal static void WriteVolumes(CliEnvironment env, IReadOnlyList<AttachedVolume> volumes) => Write(env, w =>
    {
        foreach (AttachedVolume v in volumes)
        {
            w.WriteStartObject();
            w.WriteString("targetName", v.TargetName);
            w.WriteNumber("lun", v.Lun);
            w.WriteString("devicePath", v.DevicePath);
            w.WriteString("deviceName", v.DeviceName);
            w.WriteBoolean("isMultipath", v.IsMultipath);
            w.WriteString("mapName", v.MapName);
            w.WriteString("wwid", v.Wwid);
            w.WriteNumber("sizeBytes", v.SizeBytes);
            Strings(w, "stablePaths", v.StablePaths);
            w.WriteStartArray("paths");
            foreach (VolumePath p in v.Paths)
            {
                w.WriteStartObject();
                w.WriteString("portal", p.Portal);
                w.WriteNumber("sid", p.Sid);
                w.WriteNumber("host", p.Host);
                w.WriteString("hctl", p.Hctl);
                w.WriteString("blockDevice", p.BlockDevice);
                w.WriteString("state", p.State);
                w.WriteString("devicePath", p.DevicePath);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Strings(w, "failedPortals", v.FailedPortals);
            w.WriteEndObject();
        }
    });

    private static void WriteParameters(Utf8JsonWriter w, NegotiatedParameters p)
    {
        w.WriteStartObject("parameters");
        w.WriteString("targetName", p.TargetName);
        w.WriteString("targetAlias", p.TargetAlias);
        w.WriteNumber("targetPortalGroupTag", p.TargetPortalGroupTag);
        w.WriteNumber("isid", p.Isid);
        w.WriteNumber("tsih", p.Tsih);
        w.WriteNumber("cid", p.Cid);
        w.WriteNumber("maxRecvDataSegmentLength", p.MaxRecvDataSegmentLength);
        w.WriteNumber("maxXmitDataSegmentLength", p.MaxXmitDataSegmentLength);
        w.WriteNumber("firstBurstLength", p.FirstBurstLength);
        w.WriteNumber("maxBurstLength", p.MaxBurstLength);
        w.WriteBoolean("immediateData", p.ImmediateData);
        w.WriteBoolean("initialR2T", p.InitialR2T);
        w.WriteNumber("maxOutstandingR2T", p.MaxOutstandingR2T);
        w.WriteNumber("maxConnections", p.MaxConnections);
        Digest(w, "headerDigest", p.HeaderDigest);
        Digest(w, "dataDigest", p.DataDigest);
        w.WriteBoolean("dataPduInOrder", p.DataPduInOrder);
        w.WriteBoolean("dataSequenceInOrder", p.DataSequenceInOrder);
        w.WriteNumber("errorRecoveryLevel", p.ErrorRecoveryLevel);
        w.WriteNumber("defaultTime2Wait", p.DefaultTime2Wait);
        w.WriteNumber("defaultTime2Retain", p.DefaultTime2Retain);
        w.WriteBoolean("ifMarker", p.IFMarker);
        w.WriteBoolean("ofMarker", p.OFMarker);
        if (p.ChapAlgorithm is ChapAlgorithm chap)
        {
            Enum(w, "chapAlgorithm", (int)chap, chap switch
            {
                ChapAlgorithm.Md5 => "Md5",
                ChapAlgorithm.Sha1 => "Sha1",
                ChapAlgorithm.Sha256 => "Sha256",
                ChapAlgorithm.Sha3_256 => "Sha3_256",
                _ => null,
            });
        }
        else
        {
            w.WriteNull("chapAlgorithm");
        }

        w.WriteNumber("cmdSN", p.CmdSN);
        w.WriteNumber("statSN", p.StatSN);
        w.WriteNumber("expStatSN", p.ExpStatSN);
        w.WriteNumber("expCmdSN", p.ExpCmdSN);
        w.WriteNumber("maxCmdSN", p.MaxCmdSN);
        w.WriteEndObject();
    }

    private static void Digest(Utf8JsonWriter w, string name, IscsiDigest digest) => Enum(w, name, (int)digest, digest switch
    {
        IscsiDigest.None => "None",
        IscsiDigest.Crc32C => "Crc32C",
        IscsiDigest.Crc32CThenNone => "Crc32CThenNone",
        IscsiDigest.NoneThenCrc32C => "NoneThenCrc32C",
        _ => null,
    });

    /// <summary>An enum as JsonStringEnumConverter writes it: its name, or the number when the value has none.</summary>
    private static void Enum(Utf8JsonWriter w, string name, int value, string? text)
    {
        if (text is null)
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteString(name, text);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Boolean(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is bool v)
        {
            w.WriteBoolean(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Write(CliEnvironment env, Action<Utf8JsonWriter> items)
    {
        using (var w = new Utf8JsonWriter(env.Stdout, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            items(w);
            w.WriteEndArray();
        }

        env.Stdout.Write("\n"u8);
        env.Stdout.Flush();
    }
}
