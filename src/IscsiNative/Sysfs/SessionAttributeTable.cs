namespace IscsiNative.Sysfs;

/// <summary>File names and directories of the attributes in <see cref="IscsiSessionAttribute"/>.</summary>
internal static class SessionAttributeTable
{
    internal const int Count = (int)IscsiSessionAttribute.ScsiHostProcName + 1;

    internal static ReadOnlySpan<byte> FileName(IscsiSessionAttribute attribute) => attribute switch
    {
        IscsiSessionAttribute.TargetName => "targetname"u8,
        IscsiSessionAttribute.Tpgt => "tpgt"u8,
        IscsiSessionAttribute.SessionState => "state"u8,
        IscsiSessionAttribute.Creator => "creator"u8,
        IscsiSessionAttribute.RecoveryTimeout => "recovery_tmo"u8,
        IscsiSessionAttribute.TargetResetTimeout => "tgt_reset_tmo"u8,
        IscsiSessionAttribute.LunResetTimeout => "lu_reset_tmo"u8,
        IscsiSessionAttribute.AbortTimeout => "abort_tmo"u8,
        IscsiSessionAttribute.FirstBurstLength => "first_burst_len"u8,
        IscsiSessionAttribute.MaxBurstLength => "max_burst_len"u8,
        IscsiSessionAttribute.ImmediateData => "immediate_data"u8,
        IscsiSessionAttribute.InitialR2T => "initial_r2t"u8,
        IscsiSessionAttribute.MaxOutstandingR2T => "max_outstanding_r2t"u8,
        IscsiSessionAttribute.Username => "username"u8,
        IscsiSessionAttribute.UsernameIn => "username_in"u8,
        IscsiSessionAttribute.IfaceName => "ifacename"u8,
        IscsiSessionAttribute.InitiatorName => "initiatorname"u8,
        IscsiSessionAttribute.Address => "address"u8,
        IscsiSessionAttribute.Port => "port"u8,
        IscsiSessionAttribute.PersistentAddress => "persistent_address"u8,
        IscsiSessionAttribute.PersistentPort => "persistent_port"u8,
        IscsiSessionAttribute.ConnectionState => "state"u8,
        IscsiSessionAttribute.HeaderDigest => "header_digest"u8,
        IscsiSessionAttribute.DataDigest => "data_digest"u8,
        IscsiSessionAttribute.MaxRecvDataSegmentLength => "max_recv_dlength"u8,
        IscsiSessionAttribute.MaxXmitDataSegmentLength => "max_xmit_dlength"u8,
        IscsiSessionAttribute.HostIPAddress => "ipaddress"u8,
        IscsiSessionAttribute.HostHWAddress => "hwaddress"u8,
        IscsiSessionAttribute.HostNetdev => "netdev"u8,
        IscsiSessionAttribute.HostInitiatorName => "initiatorname"u8,
        IscsiSessionAttribute.ScsiHostState => "state"u8,
        IscsiSessionAttribute.ScsiHostProcName => "proc_name"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    internal static SysfsDirectoryKind Directory(IscsiSessionAttribute attribute) => attribute switch
    {
        <= IscsiSessionAttribute.InitiatorName => SysfsDirectoryKind.Session,
        <= IscsiSessionAttribute.MaxXmitDataSegmentLength => SysfsDirectoryKind.Connection,
        <= IscsiSessionAttribute.HostInitiatorName => SysfsDirectoryKind.IscsiHost,
        _ => SysfsDirectoryKind.ScsiHost,
    };

    /// <summary>The directory of an attribute relative to the sysfs root, for messages.</summary>
    internal static string DescribePath(string root, int sid, int host, IscsiSessionAttribute attribute)
    {
        string file = System.Text.Encoding.UTF8.GetString(FileName(attribute));
        return Directory(attribute) switch
        {
            SysfsDirectoryKind.Session => $"{root}/class/iscsi_session/session{sid}/{file}",
            SysfsDirectoryKind.Connection => $"{root}/class/iscsi_connection/connection{sid}:0/{file}",
            SysfsDirectoryKind.IscsiHost => $"{root}/class/iscsi_host/host{host}/{file}",
            _ => $"{root}/class/scsi_host/host{host}/{file}",
        };
    }
}
