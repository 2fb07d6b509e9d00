namespace IscsiNative.Protocol;

/// <summary>The SessionType login key.</summary>
internal enum IscsiSessionType
{
    /// <summary>A session for SCSI I/O to one target.</summary>
    Normal,

    /// <summary>A SendTargets discovery session.</summary>
    Discovery,
}
