namespace IscsiNative;

/// <summary>
/// A sysfs attribute of the kernel's iSCSI state holds something the library cannot interpret,
/// e.g. text where a number belongs. Carries the attribute's path and the offending value.
/// </summary>
/// <remarks>Never raised for secret attributes (password, password_in): those are never read.</remarks>
public class IscsiSysfsException : IscsiException
{
    /// <summary>Creates an exception for one attribute.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="attributePath">The sysfs file that was read.</param>
    /// <param name="rawValue">The value as read, trailing newline removed.</param>
    public IscsiSysfsException(string message, string attributePath, string rawValue)
        : base(message)
    {
        AttributePath = attributePath;
        RawValue = rawValue;
    }

    /// <summary>The sysfs file that was read, e.g. <c>/sys/class/iscsi_session/session1/tpgt</c>.</summary>
    public string AttributePath { get; }

    /// <summary>The value as read from the file, without its trailing newline.</summary>
    public string RawValue { get; }
}
