using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// N LIO targets with 2 LUNs each, discovered and logged in by iscsiadm (all logins at once), every disk in /dev.
/// They must be the only sessions in the VM, so whole-system output can be compared. Dispose logs out and removes them.
/// </summary>
public sealed class LoggedInTargets : IDisposable
{
    /// <summary>LUNs per target.</summary>
    public const int LunsPerTarget = 2;

    private static readonly TimeSpan ScanTimeout = TimeSpan.FromSeconds(90);
    private readonly List<LioTarget> _targets = [];
    private readonly List<IscsiadmNode> _nodes = [];

    private LoggedInTargets()
    {
    }

    /// <summary>Gets the targets, in creation order.</summary>
    public IReadOnlyList<LioTarget> Targets => _targets;

    /// <summary>Creates <paramref name="count"/> targets and logs in to all of them.</summary>
    /// <param name="iscsiadm">The oracle.</param>
    /// <param name="count">How many targets.</param>
    /// <param name="name">A name for the IQNs.</param>
    /// <returns>The logged-in set.</returns>
    /// <exception cref="InvalidOperationException">Other sessions exist, or a login or the SCSI scan failed.</exception>
    public static LoggedInTargets Create(Iscsiadm iscsiadm, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(iscsiadm);
        if (!Wait.Until(() => SysfsProbe.Sessions().Count == 0, TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"sessions left over by another test: {string.Join(", ", SysfsProbe.Sessions())}");
        }

        var set = new LoggedInTargets();
        try
        {
            for (int i = 0; i < count; i++)
            {
                set._targets.Add(LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(name)) { LunCount = LunsPerTarget }));
            }

            IReadOnlyList<DiscoveredTarget> discovered = iscsiadm.Discover(set._targets[0].Portal);
            foreach (LioTarget t in set._targets)
            {
                if (!discovered.Any(d => d.TargetName == t.Iqn))
                {
                    throw new InvalidOperationException($"discovery did not list {t.Iqn}");
                }

                set._nodes.Add(iscsiadm.Node(t.Iqn, t.Portal));
            }

            // iscsid logs in to all of them concurrently, as `iscsiadm -m node -L all` would.
            ProcessResult[] logins = Task.WhenAll(set._nodes.Select(n => Task.Run(n.Login))).GetAwaiter().GetResult();
            if (logins.FirstOrDefault(r => r.ExitCode != 0) is { } failed)
            {
                throw new InvalidOperationException($"login failed: {failed}");
            }

            foreach (LioTarget t in set._targets)
            {
                if (SysfsProbe.WaitForDisks(t.Iqn, LunsPerTarget, ScanTimeout) is null)
                {
                    throw new InvalidOperationException($"no session with {LunsPerTarget} disks for {t.Iqn}: {string.Join(", ", SysfsProbe.Sessions())}");
                }
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Logs out, deletes the node records and removes the targets. Never throws.</summary>
    public void Dispose()
    {
        foreach (IscsiadmNode node in _nodes)
        {
            node.Dispose();
        }

        foreach (LioTarget target in _targets)
        {
            target.Dispose();
        }

        _nodes.Clear();
        _targets.Clear();
    }
}
