namespace IscsiNative.Protocol;

/// <summary>
/// 32-bit serial number arithmetic (RFC 1982) for CmdSN/StatSN/ExpCmdSN/MaxCmdSN comparisons.
/// Two numbers exactly 2^31 apart are undefined in RFC 1982; here the first counts as less than the second.
/// </summary>
internal static class SerialNumber
{
    public static bool LessThan(uint a, uint b) => a != b && (int)(a - b) < 0;

    public static bool GreaterThan(uint a, uint b) => a != b && (int)(b - a) < 0;

    public static bool LessThanOrEqual(uint a, uint b) => a == b || LessThan(a, b);

    public static bool GreaterThanOrEqual(uint a, uint b) => a == b || GreaterThan(a, b);

    /// <summary>Whether <paramref name="cmdSN"/> lies in the command window [ExpCmdSN, MaxCmdSN] (RFC 7143 §4.2.2.1).</summary>
    public static bool InWindow(uint cmdSN, uint expCmdSN, uint maxCmdSN) =>
        LessThanOrEqual(expCmdSN, cmdSN) && LessThanOrEqual(cmdSN, maxCmdSN);
}
