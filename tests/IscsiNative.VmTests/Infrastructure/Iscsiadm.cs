using System.Globalization;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// open-iscsi's iscsiadm as the oracle: discovery, node login/logout, <c>-m session -P N</c> and <c>-s</c>.
/// Every call has a timeout. Login needs iscsid (see <see cref="VmFixture"/>).
/// </summary>
public sealed class Iscsiadm
{
    /// <summary>The timeout of ordinary calls.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The timeout of logins (iscsiadm retries a refused login for up to 8 x 15 s by default).</summary>
    public static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(150);

    /// <summary>Runs iscsiadm with <paramref name="arguments"/>; a non-zero exit code is returned, not thrown.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">iscsiadm did not finish within <see cref="DefaultTimeout"/>.</exception>
    public ProcessResult Run(params string[] arguments) => ProcessRunner.Run(DefaultTimeout, "iscsiadm", arguments);

    /// <summary>Runs sendtargets discovery against <paramref name="portal"/> (which also creates the node records).</summary>
    /// <param name="portal">ADDRESS:PORT.</param>
    /// <returns>The discovered targets.</returns>
    /// <exception cref="InvalidOperationException">Discovery failed.</exception>
    public IReadOnlyList<DiscoveredTarget> Discover(string portal)
    {
        ProcessResult r = Run("-m", "discovery", "-t", "sendtargets", "-p", portal).EnsureSuccess();
        var targets = new List<DiscoveredTarget>();
        foreach (string line in r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // 127.0.0.1:3260,1 iqn.2003-01.org.linux-iscsi.vmtest:x-1
            int space = line.IndexOf(' ');
            int comma = line.LastIndexOf(',', space < 0 ? line.Length - 1 : space);
            if (space < 0 || comma < 0)
            {
                throw new InvalidOperationException($"unexpected discovery line '{line}' in {r}");
            }

            targets.Add(new DiscoveredTarget(line[..comma], int.Parse(line.AsSpan(comma + 1, space - comma - 1), CultureInfo.InvariantCulture), line[(space + 1)..]));
        }

        return targets;
    }

    /// <summary>Returns a handle on the node record of one target (after discovery); dispose it to log out and delete the record.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">ADDRESS:PORT.</param>
    /// <returns>The node handle.</returns>
    public IscsiadmNode Node(string targetName, string portal) => new(this, targetName, portal);

    /// <summary>Runs <c>iscsiadm -m session</c>, with <c>-P level</c> when given.</summary>
    /// <param name="printLevel">0..3, or null for the plain listing.</param>
    /// <returns>The result (exit code 21 when there are no sessions).</returns>
    public ProcessResult Session(int? printLevel = null) => printLevel is int p
        ? Run("-m", "session", "-P", p.ToString(CultureInfo.InvariantCulture))
        : Run("-m", "session");

    /// <summary>Runs <c>iscsiadm -m session -r SID -s</c> (statistics).</summary>
    /// <param name="sid">The session id.</param>
    /// <returns>The result.</returns>
    public ProcessResult SessionStats(int sid) => Run("-m", "session", "-r", sid.ToString(CultureInfo.InvariantCulture), "-s");

    /// <summary>Logs out of every session and deletes every node record. Failures are ignored (best-effort cleanup).</summary>
    public void LogoutAll()
    {
        try
        {
            ProcessRunner.Run(LoginTimeout, "iscsiadm", "-m", "node", "-U", "all");
            Run("-m", "node", "-o", "delete");
        }
        catch (TimeoutException e)
        {
            Console.Error.WriteLine($"Iscsiadm.LogoutAll: {e.Message}");
        }
    }
}
