using System.Globalization;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Volumes;

namespace IscsiNative.Cli.Commands;

/// <summary>
/// <c>iscsinat volume attach|detach|extend|list</c>: the volume connector for operators and scripts. Text output is
/// one line per volume; <c>--json</c> prints the <see cref="AttachedVolume"/> records. Exit codes follow iscsiadm
/// where one fits (7 bad argument, 21 not attached, 24 CHAP failure, 5 login failure, 28 in use, 1 otherwise).
/// </summary>
internal static class VolumeCommand
{
    /// <summary><c>iscsinat volume attach|detach|extend|list ...</c>: parses the alias's options and runs it.</summary>
    internal static int Run(ReadOnlySpan<string> args, CliEnvironment env)
    {
        var json = new SubOption("--json", null, "Print JSON.", takesValue: false);
        var target = new SubOption("--targetname", "-T", "Target IQN.", required: true);
        var lun = new SubOption("--lun", "-L", "The LUN.", required: true);
        var portals = new SubOption("--portal", "-p", "Portal IP[:PORT], [IPv6]:PORT or HOST[:PORT]; repeat for multipath.", required: true);
        ReadOnlySpan<string> rest = args.Length == 0 ? [] : args[1..];
        int rc;
        switch (args.Length == 0 ? null : args[0])
        {
            case "attach":
                {
                    var multipath = new SubOption("--multipath", null, "Assemble the paths with multipathd (needs multipathd running).", takesValue: false);
                    var degraded = new SubOption("--allow-degraded", null, "With --multipath: succeed when at least one portal gives a path.", takesValue: false);
                    var discover = new SubOption("--discover", null, "Check each portal with SendTargets first.", takesValue: false);
                    var timeout = new SubOption("--timeout", null, "Attach deadline in seconds (default 60).");
                    var chap = new CliChap();
                    if (!Subcommand.TryParse(rest, "iscsinat volume attach -T IQN -p PORTAL --lun N [options]", env, out rc, [target, lun, portals, multipath, degraded, discover, timeout, json, .. chap.Options]))
                    {
                        return rc;
                    }

                    if (!Subcommand.TryInt(lun, 0, env, out int lunNumber) || !Subcommand.TryInt(timeout, 60, env, out int seconds))
                    {
                        return 1;
                    }

                    return Run(env, Subcommand.Flag(json), async connector =>
                    {
                        using var credentials = chap.Read();
                        var spec = new VolumeSpec
                        {
                            TargetName = target.Value!,
                            Portals = portals.Values,
                            Lun = lunNumber,
                            Multipath = Subcommand.Flag(multipath),
                            AllowDegraded = Subcommand.Flag(degraded),
                            Discover = Subcommand.Flag(discover),
                            AttachTimeout = TimeSpan.FromSeconds(seconds),
                            Credentials = credentials,
                        };
                        return [await connector.AttachAsync(spec)];
                    });
                }

            case "detach":
                {
                    var force = new SubOption("--force", null, "Detach even when the device is mounted or held.", takesValue: false);
                    if (!Subcommand.TryParse(rest, "iscsinat volume detach -T IQN -p PORTAL --lun N [options]", env, out rc, target, lun, portals, force, json))
                    {
                        return rc;
                    }

                    if (!Subcommand.TryInt(lun, 0, env, out int lunNumber))
                    {
                        return 1;
                    }

                    return Run(env, Subcommand.Flag(json), async connector =>
                    {
                        string[] paths = portals.Values;
                        var spec = new VolumeSpec { TargetName = target.Value!, Portals = paths, Lun = lunNumber, Multipath = paths.Length > 1 };
                        spec.Validate();
                        AttachedVolume? volume = Find(connector.GetAttached(), spec.TargetName, spec.Lun);
                        bool detached = await connector.DetachAsync(spec, Subcommand.Flag(force));
                        return detached && volume is not null ? [volume] : [];
                    });
                }

            case "extend":
                {
                    if (!Subcommand.TryParse(rest, "iscsinat volume extend -T IQN --lun N [options]", env, out rc, target, lun, json))
                    {
                        return rc;
                    }

                    if (!Subcommand.TryInt(lun, 0, env, out int lunNumber))
                    {
                        return 1;
                    }

                    return Run(env, Subcommand.Flag(json), async connector =>
                    {
                        AttachedVolume volume = Find(connector.GetAttached(), target.Value!, lunNumber)
                            ?? throw new IscsiVolumeException(VolumeError.NotAttached, $"{target.Value} LUN {lunNumber.ToString(CultureInfo.InvariantCulture)} is not attached.");
                        long size = await connector.ExtendAsync(volume);
                        return [volume with { SizeBytes = size }];
                    });
                }

            case "list":
                return Subcommand.TryParse(rest, "iscsinat volume list [--json]", env, out rc, json)
                    ? Run(env, Subcommand.Flag(json), connector => Task.FromResult(connector.GetAttached()))
                    : rc;
            default:
                return Subcommand.Unrecognized(env, args);
        }
    }

    private static AttachedVolume? Find(IReadOnlyList<AttachedVolume> volumes, string target, int lun)
    {
        foreach (AttachedVolume v in volumes)
        {
            if (v.TargetName == target && v.Lun == lun)
            {
                return v;
            }
        }

        return null;
    }

    private static int Run(CliEnvironment env, bool json, Func<IscsiVolumeConnector, Task<IReadOnlyList<AttachedVolume>>> action)
    {
        IReadOnlyList<AttachedVolume> volumes;
        try
        {
            using var connector = new IscsiVolumeConnector(new IscsiVolumeConnectorOptions { SysfsRoot = env.DefaultSysfsRoot });
            volumes = action(connector).GetAwaiter().GetResult();
        }
        catch (IscsiVolumeException e)
        {
            env.Error(e.Message);
            return (int)(e.Error switch
            {
                VolumeError.InvalidSpec or VolumeError.PortalUnresolved => IscsiadmExitCode.InvalidParameter,
                VolumeError.NotAttached or VolumeError.TargetNotFound or VolumeError.LunNotFound => IscsiadmExitCode.NoObjectsFound,
                VolumeError.AuthenticationFailed => IscsiadmExitCode.LoginAuthenticationFailed,
                VolumeError.LoginFailed => IscsiadmExitCode.Login,
                VolumeError.InUse => IscsiadmExitCode.Busy,
                _ => IscsiadmExitCode.Error,
            });
        }
        catch (Exception e) when (e is IscsiException or ArgumentException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            env.Error(e.Message);
            return (int)(e is ArgumentException ? IscsiadmExitCode.InvalidParameter : e is UnauthorizedAccessException ? IscsiadmExitCode.Access : IscsiadmExitCode.Error);
        }

        if (json)
        {
            Iscsiadm.CliJson.WriteVolumes(env, volumes);
            return (int)IscsiadmExitCode.Success;
        }

        var text = new StringBuilder();
        foreach (AttachedVolume v in volumes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{v.DevicePath} {v.TargetName} lun {v.Lun} size {v.SizeBytes} wwid {v.Wwid ?? "-"} paths ");
            for (int i = 0; i < v.Paths.Count; i++)
            {
                VolumePath p = v.Paths[i];
                text.Append(i == 0 ? "" : ",").Append(p.BlockDevice).Append('@').Append(p.Portal).Append(':').Append(p.State);
            }

            text.Append('\n');
        }

        env.Stdout.Write(Encoding.UTF8.GetBytes(text.ToString()));
        env.Stdout.Flush();
        return (int)IscsiadmExitCode.Success;
    }
}
