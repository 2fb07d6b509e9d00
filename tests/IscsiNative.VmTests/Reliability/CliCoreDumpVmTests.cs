using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.VmTests.Oracle;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// The CLI's core (issue 17): iscsinat holds a CHAP secret from its command line or its node record for as long as it
/// runs, so the only way to keep the secret out of a core file is to write none. The CLI marks itself not dumpable
/// (<c>PR_SET_DUMPABLE</c> 0) first thing; here it is killed by SIGABRT in the middle of a CHAP login, with
/// <c>RLIMIT_CORE</c> unlimited and <c>core_pattern</c> pointing at a fresh directory, and no core may appear. A
/// positive control (a dumpable process with the secret in its environment, killed the same way) shows that the setup
/// writes cores and that the secret is found in one.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliCoreDumpVmTests
{
    private const string CorePatternFile = "/proc/sys/kernel/core_pattern";
    private const int SigAbrt = 6;
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);

    [VmFact]
    public async Task The_cli_killed_during_a_chap_login_writes_no_core_while_a_dumpable_control_does_and_holds_the_secret()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string secret = "coresecret" + Guid.NewGuid().ToString("N")[..12];
        string dir = Directory.CreateTempSubdirectory("cores-").FullName;
        string savedPattern = File.ReadAllText(CorePatternFile).TrimEnd('\n');
        File.WriteAllText(CorePatternFile, Path.Combine(dir, "core.%e.%p"));
        try
        {
            // Control: the secret in a dumpable process's environment; SIGABRT writes a core that holds it.
            using (Process control = StartShell($"ulimit -c unlimited; exec env ISCSINATIVE_CORE_CONTROL={secret} sleep 120"))
            {
                Assert.True(Wait.Until(() => Comm(control.Id) == "sleep", Bounded), "the control never became `sleep`");
                int controlExit = await KillAndWaitAsync(control, ct);
                Assert.Equal(128 + SigAbrt, controlExit);
                string[] cores = [];
                Assert.True(Wait.Until(() => (cores = Directory.GetFiles(dir, "core.sleep.*")).Length == 1, Bounded), "the control's core was not written");
                Assert.True(Contains(cores[0], secret), $"the control's core {cores[0]} does not hold the secret: the search proves nothing");
            }

            // The CLI: a node record with CHAP pointing at a portal that accepts and never answers; the login is held
            // there (its Login Request sent, the secret read from the record) when the CLI is killed.
            using var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            int port = ((IPEndPoint)silent.LocalEndpoint).Port;
            string portal = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
            string iqn = "iqn.2003-01.org.linux-iscsi.vmtest:coredump-" + Guid.NewGuid().ToString("N")[..8];
            string[] node = ["-m", "node", "-T", iqn, "-p", portal];
            Cli([.. node, "-o", "new"]);
            try
            {
                Cli([.. node, "-o", "update", "-n", "node.session.auth.authmethod", "-v", "CHAP"]);
                Cli([.. node, "-o", "update", "-n", "node.session.auth.username", "-v", "coreuser"]);
                Cli([.. node, "-o", "update", "-n", "node.session.auth.password", "-v", secret]);

                using Process cli = StartShell($"ulimit -c unlimited; exec {LibraryOutput.CliPath} -m node -T {iqn} -p {portal} --login");
                using Socket accepted = await silent.AcceptSocketAsync(ct).AsTask().WaitAsync(Bounded, ct);
                byte[] request = new byte[48];
                int got = await accepted.ReceiveAsync(request, SocketFlags.None, ct).AsTask().WaitAsync(Bounded, ct);
                Assert.True(got > 0 && (request[0] & 0x3F) == 0x03, $"expected the CLI's Login Request, got {got} bytes, opcode 0x{request[0] & 0x3F:x2}");
                Assert.Equal("iscsinat", Comm(cli.Id));

                int cliExit = await KillAndWaitAsync(cli, ct);
                Assert.Equal(128 + SigAbrt, cliExit);

                // The killed CLI leaves its half-made kernel session (as any process killed mid-login): the next process
                // logs it out by sid.
                IReadOnlyList<ProbedSession> halfMade = SysfsProbe.SessionsTo(iqn);
                await using (var next = new IscsiNative.Initiator.IscsiInitiator())
                {
                    foreach (ProbedSession s in halfMade)
                    {
                        await next.LogoutAsync(s.Sid, TimeSpan.FromSeconds(5), ct);
                    }
                }

                Assert.Empty(SysfsProbe.SessionsTo(iqn));

                // A core is written before the parent sees the exit; give a slow disk a moment anyway.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                string[] left = Directory.GetFiles(dir, "core.iscsinat*");
                Assert.True(left.Length == 0, $"the CLI left a core: {string.Join(", ", left)}" + (left.Length > 0 && Contains(left[0], secret) ? " (holding the secret)" : string.Empty));
                LoginVm.Report($"cli core: control core {new FileInfo(Directory.GetFiles(dir, "core.sleep.*")[0]).Length / 1024} KiB holds the secret; iscsinat killed by SIGABRT during a CHAP login: no core; its {halfMade.Count} half-made session(s) logged out by sid");
            }
            finally
            {
                ProcessRunner.Run(Bounded, LibraryOutput.CliPath, [.. node, "-o", "delete"]);
            }
        }
        finally
        {
            File.WriteAllText(CorePatternFile, savedPattern);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Cli(string[] args)
    {
        ProcessResult r = LibraryOutput.RunCli(Bounded, args);
        Assert.True(r.ExitCode == 0, $"{r.CommandLine}: exit {r.ExitCode}: {r.StdErr}");
    }

    private static Process StartShell(string script)
    {
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash");
        p.StandardInput.Close();
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    private static async Task<int> KillAndWaitAsync(Process p, CancellationToken ct)
    {
        ProcessRunner.Run(TimeSpan.FromSeconds(10), "kill", "-ABRT", p.Id.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();
        await p.WaitForExitAsync(ct).WaitAsync(Bounded, ct);
        return p.ExitCode;
    }

    private static string? Comm(int pid) => Read($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm");

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool Contains(string file, string secret)
    {
        byte[] needle = Encoding.ASCII.GetBytes(secret);
        byte[] data = File.ReadAllBytes(file);
        return data.AsSpan().IndexOf(needle) >= 0;
    }
}
