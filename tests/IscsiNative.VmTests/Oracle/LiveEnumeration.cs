using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Oracle;

/// <summary>Helpers over the live enumeration.</summary>
internal static class LiveEnumeration
{
    /// <summary>Counts the sessions.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>How many sessions the enumeration yields.</returns>
    public static int CountSessions(SysfsSessionReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int n = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            n++;
        }

        return n;
    }
}
