using IscsiNative;            // IscsiPortal, errors, statistics
using IscsiNative.Initiator;  // IscsiInitiator, login/discovery options, discovery results, events
using IscsiNative.Protocol;   // ChapCredentials
using IscsiNative.Sysfs;      // IscsiSession, IscsiDevice, zero-allocation enumeration

namespace IscsiNative.Tests;

/// <summary>
/// The README's API example, kept here so that it keeps compiling as the API moves (it is not run: it needs a
/// kernel and a target). Keep the two in step.
/// </summary>
internal static class ReadmeExample
{
    internal static async Task RunAsync(CancellationToken ct)
    {
        using var initiator = new IscsiInitiator();

        // Enumerate without allocating: each entry is handed out by reference from a reused buffer.
        foreach (ref readonly IscsiSessionEntry s in initiator.EnumerateSessions())
        {
            if (s.TargetName.SequenceEqual("iqn.2003-01.org.example:disk1"u8))
            {
                Console.WriteLine($"sid {s.Sid} is {s.State}");
            }
        }

        // ... or materialize when strings are wanted.
        IReadOnlyList<IscsiSession> sessions = initiator.GetSessions();
        _ = sessions;

        // Discover (SendTargets, managed TCP) and log in through the kernel (NETLINK_ISCSI, no iscsid).
        var portal = IscsiPortal.Parse("127.0.0.1:3260");
        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(portal);

        using var chap = ChapCredentials.OneWay("user", "secret-of-12+"u8);   // cleared on Dispose
        IscsiSession session = await initiator.LoginAsync(targets[0].Name, portal,
            new LoginOptions { Credentials = chap, DeviceTimeout = TimeSpan.FromSeconds(30) }, ct);
        Console.WriteLine($"sid {session.Sid}: {string.Join(", ", session.Devices.Select(d => d.DevicePath))}");

        IscsiStatistics stats = await initiator.GetStatisticsAsync(session.Sid, ct);
        _ = stats;
        await initiator.LogoutAsync(session, ct);
    }
}
