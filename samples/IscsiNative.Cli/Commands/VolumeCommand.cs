using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
    internal static Command Create(CliEnvironment environment)
    {
        var command = new Command("volume", "Attach, detach, extend and list iSCSI LUNs as block devices (scan of the one LUN, multipath via multipathd).");
        command.Subcommands.Add(Attach(environment));
        command.Subcommands.Add(Detach(environment));
        command.Subcommands.Add(Extend(environment));
        command.Subcommands.Add(List(environment));
        return command;
    }

    private static Option<bool> Json() => new("--json") { Description = "Print JSON." };

    private static Option<string> Target() => new("--targetname", "-T") { Description = "Target IQN.", Required = true };

    private static Option<int> Lun() => new("--lun", "-L") { Description = "The LUN.", Required = true };

    private static Option<string[]> Portals() => new("--portal", "-p") { Description = "Portal IP[:PORT], [IPv6]:PORT or HOST[:PORT]; repeat for multipath.", Required = true, AllowMultipleArgumentsPerToken = false };

    private static Command Attach(CliEnvironment env)
    {
        Option<string> target = Target();
        Option<int> lun = Lun();
        Option<string[]> portals = Portals();
        Option<bool> json = Json();
        var multipath = new Option<bool>("--multipath") { Description = "Assemble the paths with multipathd (needs multipathd running)." };
        var degraded = new Option<bool>("--allow-degraded") { Description = "With --multipath: succeed when at least one portal gives a path." };
        var discover = new Option<bool>("--discover") { Description = "Check each portal with SendTargets first." };
        var timeout = new Option<int>("--timeout") { Description = "Attach deadline in seconds (default 60).", DefaultValueFactory = _ => 60 };
        var chap = new CliChap();
        var command = new Command("attach", "Log in (or reuse the session), scan only this LUN, wait for the device; prints the device.") { target, lun, portals, multipath, degraded, discover, timeout, json };
        chap.AddTo(command);
        command.SetAction(parse => Run(env, parse.GetValue(json), async connector =>
        {
            using var credentials = chap.Read(parse);
            var spec = new VolumeSpec
            {
                TargetName = parse.GetValue(target)!,
                Portals = parse.GetValue(portals)!,
                Lun = parse.GetValue(lun),
                Multipath = parse.GetValue(multipath),
                AllowDegraded = parse.GetValue(degraded),
                Discover = parse.GetValue(discover),
                AttachTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Credentials = credentials,
            };
            return [await connector.AttachAsync(spec)];
        }));
        return command;
    }

    private static Command Detach(CliEnvironment env)
    {
        Option<string> target = Target();
        Option<int> lun = Lun();
        Option<string[]> portals = Portals();
        Option<bool> json = Json();
        var force = new Option<bool>("--force") { Description = "Detach even when the device is mounted or held." };
        var command = new Command("detach", "Flush, remove the map, delete the paths, log out sessions no other LUN uses; prints what was detached (nothing when it was not attached).") { target, lun, portals, force, json };
        command.SetAction(parse => Run(env, parse.GetValue(json), async connector =>
        {
            var spec = new VolumeSpec { TargetName = parse.GetValue(target)!, Portals = parse.GetValue(portals)!, Lun = parse.GetValue(lun), Multipath = parse.GetValue(portals)!.Length > 1 };
            spec.Validate();
            AttachedVolume? volume = connector.GetAttached().FirstOrDefault(v => v.TargetName == spec.TargetName && v.Lun == spec.Lun);
            bool detached = await connector.DetachAsync(spec, parse.GetValue(force));
            return detached && volume is not null ? [volume] : [];
        }));
        return command;
    }

    private static Command Extend(CliEnvironment env)
    {
        Option<string> target = Target();
        Option<int> lun = Lun();
        Option<bool> json = Json();
        var command = new Command("extend", "Rescan each path and resize the map after the target grew the LUN; prints the new size.") { target, lun, json };
        command.SetAction(parse => Run(env, parse.GetValue(json), async connector =>
        {
            AttachedVolume volume = Find(connector, parse.GetValue(target)!, parse.GetValue(lun));
            long size = await connector.ExtendAsync(volume);
            return [volume with { SizeBytes = size }];
        }));
        return command;
    }

    private static Command List(CliEnvironment env)
    {
        Option<bool> json = Json();
        var command = new Command("list", "List attached volumes (from sysfs).") { json };
        command.SetAction(parse => Run(env, parse.GetValue(json), connector => Task.FromResult(connector.GetAttached())));
        return command;
    }

    private static AttachedVolume Find(IscsiVolumeConnector connector, string target, int lun) =>
        connector.GetAttached().FirstOrDefault(v => v.TargetName == target && v.Lun == lun)
        ?? throw new IscsiVolumeException(VolumeError.NotAttached, $"{target} LUN {lun.ToString(CultureInfo.InvariantCulture)} is not attached.");

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
            JsonSerializer.Serialize(env.Stdout, volumes, CliJsonContext.Default.IReadOnlyListAttachedVolume);
            env.Stdout.Write("\n"u8);
        }
        else
        {
            var text = new StringBuilder();
            foreach (AttachedVolume v in volumes)
            {
                text.Append(CultureInfo.InvariantCulture, $"{v.DevicePath} {v.TargetName} lun {v.Lun} size {v.SizeBytes} wwid {v.Wwid ?? "-"} paths {string.Join(',', v.Paths.Select(p => $"{p.BlockDevice}@{p.Portal}:{p.State}"))}\n");
            }

            env.Stdout.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        env.Stdout.Flush();
        return (int)IscsiadmExitCode.Success;
    }
}
