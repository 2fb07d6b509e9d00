namespace IscsiNative.Sysfs;

/// <summary>
/// One kernel uevent datagram (NETLINK_KOBJECT_UEVENT group 1), read in place: <c>action@devpath\0</c> then
/// <c>KEY=VALUE\0</c> pairs (SESSIONS-AND-VOLUMES.md §5). No allocation; values are slices of the datagram.
/// </summary>
internal readonly ref struct Uevent
{
    private readonly ReadOnlySpan<byte> _pairs;

    private Uevent(ReadOnlySpan<byte> action, ReadOnlySpan<byte> devPath, ReadOnlySpan<byte> pairs)
    {
        Action = action;
        DevPath = devPath;
        _pairs = pairs;
    }

    /// <summary>Gets the action (<c>add</c>, <c>remove</c>, <c>change</c>, <c>bind</c>, ...).</summary>
    public ReadOnlySpan<byte> Action { get; }

    /// <summary>Gets the device path below /sys (<c>/devices/platform/host2/...</c>).</summary>
    public ReadOnlySpan<byte> DevPath { get; }

    /// <summary>Gets SUBSYSTEM (empty when absent).</summary>
    public ReadOnlySpan<byte> Subsystem => Get("SUBSYSTEM"u8);

    /// <summary>Gets DEVNAME, relative to /dev (empty when absent).</summary>
    public ReadOnlySpan<byte> DevName => Get("DEVNAME"u8);

    /// <summary>Gets DEVTYPE (<c>disk</c>, <c>partition</c>, <c>scsi_device</c>; empty when absent).</summary>
    public ReadOnlySpan<byte> DevType => Get("DEVTYPE"u8);

    /// <summary>Gets SEQNUM as a number; 0 when absent or not a number (then it never counts as newer than a mark).</summary>
    public ulong SeqNum
    {
        get
        {
            ReadOnlySpan<byte> value = Get("SEQNUM"u8);
            return System.Buffers.Text.Utf8Parser.TryParse(value, out ulong n, out int used) && used == value.Length ? n : 0;
        }
    }

    /// <summary>Parses a datagram; false for anything that is not a kernel uevent (e.g. udev's <c>libudev</c> messages).</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out Uevent uevent)
    {
        uevent = default;
        int end = datagram.IndexOf((byte)0);
        ReadOnlySpan<byte> header = end < 0 ? datagram : datagram[..end];
        int at = header.IndexOf((byte)'@');
        if (at <= 0 || at == header.Length - 1 || header.StartsWith("libudev"u8))
        {
            return false;
        }

        uevent = new Uevent(header[..at], header[(at + 1)..], end < 0 ? default : datagram[(end + 1)..]);
        return true;
    }

    /// <summary>Gets the value of <paramref name="key"/>, or empty.</summary>
    public ReadOnlySpan<byte> Get(ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> rest = _pairs;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)0);
            ReadOnlySpan<byte> pair = end < 0 ? rest : rest[..end];
            if (pair.Length > key.Length && pair[key.Length] == (byte)'=' && pair.StartsWith(key))
            {
                return pair[(key.Length + 1)..];
            }

            rest = end < 0 ? default : rest[(end + 1)..];
        }

        return default;
    }
}
