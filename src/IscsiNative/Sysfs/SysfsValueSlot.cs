using System.Runtime.CompilerServices;

namespace IscsiNative.Sysfs;

/// <summary>Where one attribute's bytes sit in the reader buffer, and how the read went.</summary>
internal struct SysfsValueSlot
{
    internal int Offset;
    internal int Length;
    internal SysfsValueStatus Status;
    internal int Errno;
}

/// <summary>One <see cref="SysfsValueSlot"/> per <see cref="IscsiSessionAttribute"/>, inline.</summary>
[InlineArray(SessionAttributeTable.Count)]
internal struct SysfsValueSlots
{
    private SysfsValueSlot _element0;
}
