using System.Text.Json;
using IscsiNative.Nodes;

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
