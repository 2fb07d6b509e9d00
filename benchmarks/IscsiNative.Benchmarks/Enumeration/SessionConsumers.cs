using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Enumeration;

/// <summary>
/// What a consumer of the zero-allocation enumeration reads: the fields of one <c>iscsiadm -m session</c> line
/// (-P 0), or everything <c>-P 3</c> prints. Values are folded into a checksum so that nothing is optimised away.
/// </summary>
internal static class SessionConsumers
{
    /// <summary>The four attributes the plain-C floor reads: target name, tpgt, connection address and port.</summary>
    internal const IscsiSessionFields FloorFields =
        IscsiSessionFields.TargetName | IscsiSessionFields.Tpgt | IscsiSessionFields.Address | IscsiSessionFields.Port;

    /// <summary>Exactly what the floor reads, asked for as a field set: the like-for-like comparison.</summary>
    internal static long ReadFloorFields(SysfsSessionReader reader)
    {
        long sum = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions(FloorFields))
        {
            sum += s.TargetName.Length + (s.Tpgt ?? 0) + s.Address.Length + (s.Port ?? 0);
        }

        return sum;
    }

    /// <summary>transport, sid, address, port, tpgt, target name, flash: one -P 0 line per session.</summary>
    internal static long ReadP0(SysfsSessionReader reader)
    {
        long sum = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions(IscsiSessionFields.Flat))
        {
            sum += s.TransportName.Length + s.Sid + s.Address.Length + (s.Port ?? 0) + (s.Tpgt ?? 0)
                + s.TargetName.Length + (s.IsFlash ? 1 : 0);
        }

        return sum;
    }

    /// <summary>Every field -P 3 prints: states, iface, timeouts, negotiated parameters, host and attached disks.</summary>
    internal static long ReadP3(SysfsSessionReader reader)
    {
        long sum = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            sum += s.TransportName.Length + s.Sid + s.Address.Length + (s.Port ?? 0) + (s.Tpgt ?? 0)
                + s.TargetName.Length + (s.IsFlash ? 1 : 0) + s.PersistentAddress.Length + (s.PersistentPort ?? 0);
            sum += (int)s.State + s.StateText.Length + s.ConnectionStateText.Length + s.IfaceName.Length
                + s.IfaceIPAddress.Length + s.IfaceHWAddress.Length + s.IfaceNetdev.Length + s.InitiatorName.Length
                + s.Username.Length + s.UsernameIn.Length + s.HostState.Length + (s.HostNumber ?? 0);
            sum += (s.RecoveryTimeout ?? 0) + (s.TargetResetTimeout ?? 0) + (s.LunResetTimeout ?? 0) + (s.AbortTimeout ?? 0);
            sum += (s.HeaderDigest == true ? 1 : 0) + (s.DataDigest == true ? 1 : 0) + (s.MaxRecvDataSegmentLength ?? 0)
                + (s.MaxXmitDataSegmentLength ?? 0) + (s.FirstBurstLength ?? 0) + (s.MaxBurstLength ?? 0)
                + (s.ImmediateData == true ? 1 : 0) + (s.InitialR2T == true ? 1 : 0) + (s.MaxOutstandingR2T ?? 0);
            foreach (ref readonly IscsiDeviceEntry d in s.Devices)
            {
                sum += d.HostNumber + d.Channel + d.Target + d.Lun + d.State.Length + d.BlockDeviceName.Length;
            }
        }

        return sum;
    }

    /// <summary>The materialized path: a list of classes with strings.</summary>
    internal static long Materialize(SysfsSessionReader reader)
    {
        IReadOnlyList<IscsiSession> sessions = reader.GetSessions();
        return sessions.Count == 0 ? 0 : sessions.Count + sessions[^1].TargetName.Length;
    }
}
