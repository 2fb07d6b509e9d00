namespace IscsiNative.Sysfs;

/// <summary>Which sysfs class directory an attribute lives in.</summary>
internal enum SysfsDirectoryKind : byte
{
    Session,
    Connection,
    IscsiHost,
    ScsiHost,
}
