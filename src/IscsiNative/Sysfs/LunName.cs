namespace IscsiNative.Sysfs;

/// <summary>A LUN directory name (H:C:T:L) found under a target, with its parsed numbers.</summary>
internal struct LunName
{
    internal int Offset;
    internal int Length;
    internal int Host;
    internal int Channel;
    internal int Target;
    internal int Lun;
}
