using System.Buffers;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Formatting;

/// <summary>
/// Text exactly as open-iscsi's <c>iscsiadm</c> 2.1.8 prints it, for tools that stand in for iscsiadm and scripts that
/// parse its output: session listings (<c>-m session [-P 0..3]</c>), statistics (<c>-m session -r SID -s</c>) and
/// discovery results (<c>-m discovery -t st</c>). Each <c>Write*</c> method writes UTF-8 to an
/// <see cref="IBufferWriter{T}"/>; each <c>Format*</c> method returns the same text as a string.
/// </summary>
/// <remarks>
/// Presentation only: the values come from the library's own types (<see cref="IscsiInitiator"/>'s sysfs enumeration,
/// <see cref="IscsiStatistics"/>, <see cref="DiscoveredTarget"/>). Two lines of <c>-P 1</c> and above are iscsid's own
/// state (<c>iSCSI Connection State</c>, <c>Internal iscsid Session State</c>); without iscsid they read <c>Unknown</c>.
/// </remarks>
public static class IscsiadmText
{
    /// <summary>The open-iscsi version this text follows; <c>-P 3</c> prints it as <c>version 2.1.8</c>.</summary>
    public const string OpenIscsiVersion = IscsiadmSessionWriter.DefaultOpenIscsiVersion;

    /// <summary>
    /// Writes <c>iscsiadm -m session</c> at <c>-P</c> <paramref name="infoLevel"/> for every session of
    /// <paramref name="initiator"/>'s sysfs (or only <paramref name="sid"/>), header included, without allocating once
    /// warmed up. Writes nothing when there are no sessions (iscsiadm then says <c>No active sessions.</c> on stderr).
    /// </summary>
    /// <param name="initiator">Whose sysfs root to read.</param>
    /// <param name="output">Where the text goes.</param>
    /// <param name="infoLevel">-1 (no <c>-P</c>) or 0 for the flat list, 1 to 3 for the tree.</param>
    /// <param name="sid">Only this session when 0 or more; every session when negative.</param>
    /// <returns>How many sessions were written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="infoLevel"/> is not -1 to 3.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public static int WriteSessions(IscsiInitiator initiator, IBufferWriter<byte> output, int infoLevel = -1, int sid = -1)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        return IscsiadmSessionWriter.WriteSessions(initiator.SessionReader, output, infoLevel, sid);
    }

    /// <summary>As <see cref="WriteSessions"/>, returning the text.</summary>
    /// <param name="initiator">Whose sysfs root to read.</param>
    /// <param name="infoLevel">-1 (no <c>-P</c>) or 0 for the flat list, 1 to 3 for the tree.</param>
    /// <param name="sid">Only this session when 0 or more; every session when negative.</param>
    /// <returns>The listing; empty when there are no sessions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="initiator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="infoLevel"/> is not -1 to 3.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public static string FormatSessions(IscsiInitiator initiator, int infoLevel = -1, int sid = -1)
    {
        var output = new ArrayBufferWriter<byte>();
        WriteSessions(initiator, output, infoLevel, sid);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes <c>iscsiadm -m session -r SID -s</c>: the session's portal and target, then every counter.</summary>
    /// <param name="session">The session the statistics are of (sid, target, persistent portal).</param>
    /// <param name="statistics">From <see cref="IscsiInitiator.GetStatisticsAsync"/>.</param>
    /// <param name="output">Where the text goes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteStatistics(IscsiSession session, IscsiStatistics statistics, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(session);
        StatisticsFormatter.Write(output, session.Sid, session.TargetName, session.PersistentAddress, session.PersistentPort ?? 0, statistics);
    }

    /// <summary>As <see cref="WriteStatistics"/>, returning the text.</summary>
    /// <param name="session">The session the statistics are of (sid, target, persistent portal).</param>
    /// <param name="statistics">From <see cref="IscsiInitiator.GetStatisticsAsync"/>.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string FormatStatistics(IscsiSession session, IscsiStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(session);
        return StatisticsFormatter.Format(session.Sid, session.TargetName, session.PersistentAddress, session.PersistentPort ?? 0, statistics);
    }

    /// <summary>
    /// Writes discovery results as <c>iscsiadm -m discovery -t st</c>: one <c>address:port,tpgt target</c> line per portal,
    /// the address in brackets when it has no '.' (iscsiadm's own test, so dot-less host names get brackets too).
    /// </summary>
    /// <param name="targets">From <see cref="IscsiInitiator.DiscoverAsync"/>.</param>
    /// <param name="output">Where the text goes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteDiscovery(IEnumerable<DiscoveredTarget> targets, IBufferWriter<byte> output) =>
        DiscoveryFormatter.Write(output, targets);

    /// <summary>As <see cref="WriteDiscovery"/>, returning the text.</summary>
    /// <param name="targets">From <see cref="IscsiInitiator.DiscoverAsync"/>.</param>
    /// <returns>The lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> is null.</exception>
    public static string FormatDiscovery(IEnumerable<DiscoveredTarget> targets) => DiscoveryFormatter.Format(targets);
}
