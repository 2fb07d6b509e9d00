using IscsiNative.Sysfs;

namespace IscsiNative.Formatting;

/// <summary>
/// Reads an entry's raw attributes the way iscsiadm 2.1.8 does, so the text matches even for odd values:
/// libopeniscsiusr numbers (strtoll clamped; unreadable → -1; <c>(null)</c> → 0; <c>off</c> → 0) and usr/ sysfs
/// numbers (atoi; unreadable or <c>(null)</c> → -1).
/// </summary>
internal static class IscsiadmValues
{
    /// <summary>iscsiadm's placeholder for an iface value sysfs does not hold: <c>default</c>.</summary>
    internal static ReadOnlySpan<byte> OrDefault(ReadOnlySpan<byte> value) => value.IsEmpty ? "default"u8 : value;

    /// <summary>libopeniscsiusr <c>_sysfs_prop_get_i32(..., -1, true)</c>.</summary>
    internal static int LibInt(in IscsiSessionEntry s, IscsiSessionAttribute a) => s.GetStatus(a) switch
    {
        SysfsValueStatus.Present => SysfsNumber.StrToI32Clamped(s.GetRaw(a)),
        SysfsValueStatus.Empty => 0,
        _ => -1,
    };

    /// <summary>usr/sysfs.c <c>sysfs_get_int</c>: -1 when unreadable or (null).</summary>
    internal static int SysfsInt(in IscsiSessionEntry s, IscsiSessionAttribute a) =>
        s.GetStatus(a) == SysfsValueStatus.Present ? SysfsNumber.Atoi(s.GetRaw(a)) : -1;

    /// <summary>Current port and persistent port after libopeniscsiusr's copy rule.</summary>
    internal static (int Port, int PersistentPort) Ports(in IscsiSessionEntry s)
    {
        int port = LibInt(s, IscsiSessionAttribute.Port);
        int persistent = LibInt(s, IscsiSessionAttribute.PersistentPort);
        if (persistent == -1 && port != -1)
        {
            persistent = port;
        }
        else if (persistent != -1 && port == -1)
        {
            port = persistent;
        }

        return (port, persistent);
    }

    /// <summary><c>get_iscsi_node_type</c>: flash only when creator reads -1.</summary>
    internal static bool IsFlash(in IscsiSessionEntry s) => SysfsInt(s, IscsiSessionAttribute.Creator) == -1
        && s.GetStatus(IscsiSessionAttribute.Creator) == SysfsValueStatus.Present;
}
