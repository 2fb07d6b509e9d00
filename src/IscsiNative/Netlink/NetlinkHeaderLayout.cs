namespace IscsiNative.Netlink;

/// <summary>Offsets inside <c>struct nlmsghdr</c> (16 bytes, host byte order).</summary>
internal static class NetlinkHeaderLayout
{
    /// <summary><c>sizeof(struct nlmsghdr)</c>.</summary>
    internal const int Size = 16;

    /// <summary>Header plus <c>struct iscsi_uevent</c>: the kernel ignores anything shorter (72).</summary>
    internal const int MinIscsiMessage = Size + IscsiUeventLayout.Size;

    /// <summary><c>None</c> (16 bytes).</summary>
    internal const int NlmsghdrSize = 0;

    /// <summary><c>nlmsg_len</c> (4 bytes).</summary>
    internal const int NlmsgLen = 0;

    /// <summary><c>nlmsg_type</c> (2 bytes).</summary>
    internal const int NlmsgType = 4;

    /// <summary><c>nlmsg_flags</c> (2 bytes).</summary>
    internal const int NlmsgFlags = 6;

    /// <summary><c>nlmsg_seq</c> (4 bytes).</summary>
    internal const int NlmsgSeq = 8;

    /// <summary><c>nlmsg_pid</c> (4 bytes).</summary>
    internal const int NlmsgPid = 12;
}
