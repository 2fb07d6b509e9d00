using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Oracle;

/// <summary>Reads every field the enumeration offers (the same walk as the unit tests' allocation test).</summary>
public static class LiveEnumeration
{
    /// <summary>Touches every field of every session and device; returns a checksum so nothing is optimised away.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="attributes">Every raw attribute to read as well (allocated by the caller).</param>
    /// <returns>The checksum.</returns>
    public static long ReadEverything(SysfsSessionReader reader, IscsiSessionAttribute[] attributes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(attributes);
        long sum = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            sum += s.Sid + (s.HostNumber ?? 0) + s.TargetName.Length + (s.Tpgt ?? 0) + (int)s.State + (s.Creator ?? 0);
            sum += s.Address.Length + (s.Port ?? 0) + s.PersistentAddress.Length + (s.PersistentPort ?? 0);
            sum += s.ConnectionStateText.Length + s.IfaceName.Length + s.TransportName.Length + s.InitiatorName.Length;
            sum += s.IfaceIPAddress.Length + s.IfaceHWAddress.Length + s.IfaceNetdev.Length + (s.IsFlash ? 1 : 0);
            sum += (s.RecoveryTimeout ?? 0) + (s.TargetResetTimeout ?? 0) + (s.LunResetTimeout ?? 0) + (s.AbortTimeout ?? 0);
            sum += (s.HeaderDigest == true ? 1 : 0) + (s.DataDigest == true ? 1 : 0) + (s.ImmediateData == true ? 1 : 0) + (s.InitialR2T == true ? 1 : 0);
            sum += (s.MaxRecvDataSegmentLength ?? 0) + (s.MaxXmitDataSegmentLength ?? 0) + (s.FirstBurstLength ?? 0) + (s.MaxBurstLength ?? 0);
            sum += (s.MaxOutstandingR2T ?? 0) + s.Username.Length + s.UsernameIn.Length + s.HostState.Length + s.StateText.Length;
            foreach (IscsiSessionAttribute a in attributes)
            {
                sum += s.GetRaw(a).Length + (int)s.GetStatus(a);
            }

            foreach (IscsiScsiDeviceEntry d in s.Devices)
            {
                sum += d.Host + d.Channel + d.Target + d.Lun + d.State.Length + d.BlockDeviceName.Length + (d.HasBlockDevice ? 1 : 0);
            }
        }

        return sum;
    }

    /// <summary>Counts the sessions.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>How many sessions the enumeration yields.</returns>
    public static int CountSessions(SysfsSessionReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int n = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            n++;
        }

        return n;
    }
}
