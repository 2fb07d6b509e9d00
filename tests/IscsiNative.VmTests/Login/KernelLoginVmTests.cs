using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Login;

/// <summary>The library's own kernel login against LIO (iscsid not involved): auth variants and failures.</summary>
public sealed class KernelLoginVmTests
{
    [VmFact]
    public async Task Login_without_auth_gives_a_block_device_and_logout_leaves_no_session_host_or_fd()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_without_auth_gives_a_block_device_and_logout_leaves_no_session_host_or_fd), luns: 2);
        using var initiator = new IscsiInitiator();

        // First cycle warms up the runtime (socket engine, netlink socket); the second must not leak anything.
        IscsiSession warm = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        await initiator.LogoutAsync(warm, ct);
        var before = LoginVm.KernelObjects();
        int fds = LoginVm.OpenFds();

        var clock = Stopwatch.StartNew();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        LoginVm.Report($"single library login (2 LUNs, devices ready): {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(target.Iqn, session.TargetName);
        Assert.Equal(["LOGGED_IN"], SysfsProbe.Sessions().Where(s => s.Sid == session.Sid).Select(s => s.State));
        Assert.Equal(2, session.Devices.Count);
        Assert.All(session.Devices, d => Assert.Equal(session.HostNumber, d.HostNumber));
        LoginVm.AssertDisk(session, 0);
        LoginVm.AssertDisk(session, 1);
        Assert.Equal(1, session.Parameters!.TargetPortalGroupTag);

        // The login's session is the one sysfs shows (read back after the scan), plus the login's own values.
        Assert.True(initiator.TryGetSession(session.Sid, out IscsiSession? read));
        Assert.Equal(
            (read!.HostNumber, read.Tpgt, read.PersistentAddress, read.PersistentPort, read.InitiatorName, read.IfaceName, read.TransportName, read.StateText, read.ConnectionState),
            (session.HostNumber, session.Tpgt, session.PersistentAddress, session.PersistentPort, session.InitiatorName, session.IfaceName, session.TransportName, session.StateText, session.ConnectionState));
        Assert.Equal(read.Devices.Select(d => d.DevicePath), session.Devices.Select(d => d.DevicePath));
        Assert.Equal((LoginVm.Portal, (IscsiNative.Protocol.NegotiatedParameters?)null), (session.Portal, read.Parameters));
        Assert.Equal((1, "LOGGED_IN", "up"), (session.Tpgt, session.StateText, session.ConnectionState));
        Assert.Equal(LoginVm.InitiatorName, File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/initiatorname").TrimEnd());
        Assert.Equal("default", File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/ifacename").TrimEnd());
        Assert.Equal("127.0.0.1", File.ReadAllText($"/sys/class/iscsi_connection/connection{session.Sid}:0/persistent_address").TrimEnd());
        Assert.Equal("up", File.ReadAllText($"/sys/class/iscsi_connection/connection{session.Sid}:0/state").TrimEnd());

        clock.Restart();
        Assert.True(await initiator.LogoutAsync(session, ct), "the target answered the Logout Request");
        LoginVm.Report($"single library logout: {clock.Elapsed.TotalMilliseconds:0} ms");
        LoginVm.AssertGone(session.Sid, session.HostNumber);
        Assert.Equal(before, LoginVm.KernelObjects());
        Assert.Equal(fds, LoginVm.OpenFds());
    }

    [VmFact]
    public async Task Login_with_chap_succeeds_and_sysfs_shows_the_chap_username()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_with_chap_succeeds_and_sysfs_shows_the_chap_username), new Infrastructure.ChapCredentials("chapuser", "chapsecret123"));
        using var initiator = new IscsiInitiator();
        using var chap = IscsiNative.Protocol.ChapCredentials.OneWay("chapuser", "chapsecret123");
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(chap), ct);
        try
        {
            LoginVm.AssertDisk(session);
            Assert.Equal(ChapAlgorithm.Md5, session.Parameters?.ChapAlgorithm);
            Assert.Equal("chapuser", session.Username);
            Assert.Equal("chapuser", File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/username").TrimEnd());
            Assert.Equal("chapsecret123", File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/password").TrimEnd());
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
    }

    [VmFact]
    public async Task Login_with_mutual_chap_succeeds()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_with_mutual_chap_succeeds), new Infrastructure.ChapCredentials("inuser", "initiatorsecret1", "tgtuser", "targetsecret22"));
        using var initiator = new IscsiInitiator();
        using var chap = IscsiNative.Protocol.ChapCredentials.Mutual("inuser", "initiatorsecret1", "tgtuser", "targetsecret22");
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(chap), ct);
        try
        {
            LoginVm.AssertDisk(session);
            Assert.Equal("tgtuser", File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/username_in").TrimEnd());
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
    }

    [VmFact]
    public async Task Login_with_wrong_chap_secret_fails_with_authentication_error_and_leaves_nothing_in_sysfs()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_with_wrong_chap_secret_fails_with_authentication_error_and_leaves_nothing_in_sysfs), new Infrastructure.ChapCredentials("chapuser", "chapsecret123"));
        using var initiator = new IscsiInitiator();
        using var chap = IscsiNative.Protocol.ChapCredentials.OneWay("chapuser", "wrongsecret99");
        var before = LoginVm.KernelObjects();

        IscsiAuthenticationException e = await Assert.ThrowsAsync<IscsiAuthenticationException>(
            () => initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(chap), ct));
        Assert.Equal(2, e.StatusClass);
        Assert.Equal(1, e.StatusDetail);
        Assert.DoesNotContain("wrongsecret99", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, LoginVm.KernelObjects());
    }

    [VmFact]
    public async Task Login_to_an_unknown_target_name_fails_with_the_targets_login_status()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_to_an_unknown_target_name_fails_with_the_targets_login_status));
        using var initiator = new IscsiInitiator();
        var before = LoginVm.KernelObjects();

        IscsiLoginException e = await Assert.ThrowsAsync<IscsiLoginException>(
            () => initiator.LoginAsync(target.Iqn + "-missing", LoginVm.Portal, LoginVm.Options(), ct));
        LoginVm.Report($"LIO status for an unknown TargetName: class {e.StatusClass}, detail {e.StatusDetail} ({e.Kind})");

        // LIO answers a TargetName it does not serve with class 3 (target error), detail 1 (service unavailable).
        Assert.Equal(0x0301, e.Status);
        Assert.Equal(before, LoginVm.KernelObjects());
    }

    [VmFact]
    public async Task Login_to_a_disabled_portal_group_is_refused_as_service_unavailable_and_leaves_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Login_to_a_disabled_portal_group_is_refused_as_service_unavailable_and_leaves_nothing));
        target.SetEnabled(false);
        using var initiator = new IscsiInitiator();
        var before = LoginVm.KernelObjects();
        LoginOptions options = LoginVm.Options() with { ConnectTimeout = TimeSpan.FromSeconds(3), LoginTimeout = TimeSpan.FromSeconds(3) };

        var clock = Stopwatch.StartNew();
        IscsiLoginException e = await Assert.ThrowsAsync<IscsiLoginException>(() => initiator.LoginAsync(target.Iqn, LoginVm.Portal, options, ct));
        LoginVm.Report($"disabled TPG: {e.GetType().Name} after {clock.Elapsed.TotalMilliseconds:0} ms: {e.Message}");

        // LIO answers a login to a disabled TPG at once with 0x0301; no timeout is involved.
        Assert.Equal((LoginFailureKind.ServiceUnavailable, (ushort)0x0301), (e.Kind, e.Status));
        Assert.Equal(before, LoginVm.KernelObjects());
    }

    [VmFact]
    public async Task Kernel_login_to_a_peer_that_never_answers_ends_at_the_login_timeout_and_leaves_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;

        // A listener on loopback that accepts the connection and never sends a byte: the Login Request goes out through
        // the kernel (SEND_PDU) and no RECV_PDU ever comes back.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var portal = new IscsiPortal("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port);
        Task<Socket> accepted = silent.AcceptSocketAsync(ct).AsTask();
        using var initiator = new IscsiInitiator();
        var before = LoginVm.KernelObjects();
        LoginOptions options = LoginVm.Options() with { ConnectTimeout = TimeSpan.FromSeconds(3), LoginTimeout = TimeSpan.FromSeconds(3) };

        IscsiTimeoutException e = await Assert.ThrowsAsync<IscsiTimeoutException>(() => initiator.LoginAsync("iqn.2004-10.org.iscsinative:silent", portal, options, ct));
        using Socket peer = await accepted;

        // The deadline that ended it is the login's own, carried by the exception (not a wall-clock measurement).
        Assert.Equal(("login", options.LoginTimeout), (e.Operation, e.Elapsed));
        Assert.Equal(before, LoginVm.KernelObjects());

        // The unwind closed the connection's socket: after the buffered Login Request the silent peer reads end of stream.
        peer.ReceiveTimeout = 10_000;
        byte[] buffer = new byte[4096];
        int last = -1;
        for (int i = 0; i < 64 && last != 0; i++)
        {
            last = peer.Receive(buffer);
        }

        Assert.Equal(0, last);
    }
}
