using IscsiNative.Sysfs;

namespace IscsiNative.TestShared;

/// <summary>
/// The walk both the unit and the VM allocation tests make over an enumeration (linked into both test projects
/// from tests/Shared).
/// </summary>
internal static class SessionFieldWalk
{
    /// <summary>Touches every field of every session and device; returns a checksum so nothing is optimised away.</summary>
    internal static long ReadEverything(SysfsSessionReader reader)
    {
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
            for (int a = 0; a <= (int)IscsiSessionAttribute.ScsiHostProcName; a++)
            {
                sum += s.GetRaw((IscsiSessionAttribute)a).Length + (int)s.GetStatus((IscsiSessionAttribute)a);
            }

            foreach (IscsiDeviceEntry d in s.Devices)
            {
                sum += d.HostNumber + d.Channel + d.Target + d.Lun + d.State.Length + d.BlockDeviceName.Length + (d.HasBlockDevice ? 1 : 0);
            }
        }

        return sum;
    }
}
