namespace IscsiNative.Sysfs;

/// <summary>
/// One SCSI device (LUN) attached to a session, as read during enumeration. Like the session entry, its spans
/// point into the reader's buffer and are valid until the enumerator moves on.
/// </summary>
public readonly struct IscsiDeviceEntry
{
    private readonly SysfsReaderState _state;
    private readonly SysfsValueSlot _deviceState;
    private readonly int _blockOffset;
    private readonly int _blockLength;

    internal IscsiDeviceEntry(SysfsReaderState state, LunName name, SysfsValueSlot deviceState, int blockOffset, int blockLength)
    {
        _state = state;
        HostNumber = name.Host;
        Channel = name.Channel;
        Target = name.Target;
        Lun = name.Lun;
        _deviceState = deviceState;
        _blockOffset = blockOffset;
        _blockLength = blockLength;
    }

    /// <summary>SCSI host number (H of H:C:T:L).</summary>
    public int HostNumber { get; }

    /// <summary>Channel (C of H:C:T:L); always 0 for iSCSI.</summary>
    public int Channel { get; }

    /// <summary>Target id (T of H:C:T:L).</summary>
    public int Target { get; }

    /// <summary>Logical unit number (L of H:C:T:L).</summary>
    public int Lun { get; }

    /// <summary>How reading the device's <c>state</c> went.</summary>
    internal SysfsValueStatus StateStatus => _deviceState.Status;

    /// <summary>The SCSI device state (e.g. <c>running</c>, <c>blocked</c>) as UTF-8; empty when unknown.</summary>
    public ReadOnlySpan<byte> State => _state is null ? default : new(_state.Values, _deviceState.Offset, _deviceState.Length);

    /// <summary>True when the LUN has a block device (a disk).</summary>
    public bool HasBlockDevice => _blockLength > 0;

    /// <summary>The block device name (e.g. <c>sda</c>) as UTF-8; empty when there is none.</summary>
    public ReadOnlySpan<byte> BlockDeviceName => _state is null ? default : new(_state.Values, _blockOffset, _blockLength);

    /// <summary>Copies this device into a class with strings.</summary>
    /// <returns>The materialized device.</returns>
    public IscsiDevice ToDevice()
    {
        string? block = HasBlockDevice ? System.Text.Encoding.UTF8.GetString(BlockDeviceName) : null;
        return new IscsiDevice(HostNumber, Channel, Target, Lun)
        {
            State = StateStatus == SysfsValueStatus.Present ? System.Text.Encoding.UTF8.GetString(State) : null,
            BlockDevice = block,
        };
    }
}
