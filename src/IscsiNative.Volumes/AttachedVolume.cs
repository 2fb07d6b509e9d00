namespace IscsiNative.Volumes;

/// <summary>A LUN attached as a block device: what <see cref="IscsiVolumeConnector.AttachAsync"/> returns.</summary>
public sealed record AttachedVolume
{
    /// <summary>Gets the target IQN.</summary>
    public required string TargetName { get; init; }

    /// <summary>Gets the LUN.</summary>
    public required int Lun { get; init; }

    /// <summary>Gets the device to use: <c>/dev/dm-N</c> for a multipath volume, <c>/dev/sdX</c> otherwise.</summary>
    public required string DevicePath { get; init; }

    /// <summary>Gets the device's kernel name (<c>dm-3</c>, <c>sdc</c>).</summary>
    public string DeviceName => Path.GetFileName(DevicePath);

    /// <summary>Gets a value indicating whether <see cref="DevicePath"/> is a dm-multipath map.</summary>
    public required bool IsMultipath { get; init; }

    /// <summary>Gets the multipath map name (dm <c>name</c>, the WWID unless aliased); null without multipath.</summary>
    public string? MapName { get; init; }

    /// <summary>
    /// Gets the WWID in multipath's form: a designator type digit and the identifier (<c>36001405…</c> for NAA),
    /// from the kernel's <c>device/wwid</c> or VPD page 0x83; null when the LUN has no designator.
    /// </summary>
    public string? Wwid { get; init; }

    /// <summary>Gets the size in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>
    /// Gets the stable links that exist right now (<c>/dev/disk/by-id/…</c>, <c>/dev/disk/by-path/…</c>,
    /// <c>/dev/mapper/…</c>). udev makes them; without udevd the list is empty or holds only what libdevmapper made.
    /// </summary>
    public IReadOnlyList<string> StablePaths { get; init; } = [];

    /// <summary>Gets the paths (one SCSI disk per session), by portal.</summary>
    public required IReadOnlyList<VolumePath> Paths { get; init; }

    /// <summary>Gets the portals that gave no path (degraded multipath attach only), with the reason.</summary>
    public IReadOnlyList<string> FailedPortals { get; init; } = [];
}
