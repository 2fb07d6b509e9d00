using System.Globalization;
using IscsiNative.Formatting;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary>
/// iscsiadm 2.1.8's command line (usr/iscsiadm.c <c>main</c>): the same getopt_long table, the per-mode option
/// check, the same order of checks, messages and exit codes. The modes themselves live in the *Mode classes.
/// </summary>
internal static class IscsiadmCommand
{
    /// <summary>iscsiadm's program name in every message.</summary>
    internal const string Program = "iscsiadm";

    /// <summary>The version iscsinat's output matches.</summary>
    internal const string Version = "2.1.8";

    /// <summary>iscsiadm's short option string.</summary>
    internal const string ShortOptions = "RlDVhm:a:b:c:C:p:P:T:H:i:I:U:k:L:d:r:n:v:o:sSt:ux:A:W";

    /// <summary>iscsiadm's long option table, in its order (abbreviations resolve against it).</summary>
    internal static readonly LongOption[] LongOptions =
    [
        new("mode", 1, 'm'), new("portal", 1, 'p'), new("targetname", 1, 'T'), new("interface", 1, 'I'),
        new("op", 1, 'o'), new("type", 1, 't'), new("name", 1, 'n'), new("value", 1, 'v'), new("host", 1, 'H'),
        new("sid", 1, 'r'), new("rescan", 0, 'R'), new("print", 1, 'P'), new("discover", 0, 'D'), new("login", 0, 'l'),
        new("loginall", 1, 'L'), new("logout", 0, 'u'), new("logoutall", 1, 'U'), new("stats", 0, 's'),
        new("killiscsid", 1, 'k'), new("debug", 1, 'd'), new("show", 0, 'S'), new("version", 0, 'V'), new("help", 0, 'h'),
        new("submode", 1, 'C'), new("ip", 1, 'a'), new("packetsize", 1, 'b'), new("count", 1, 'c'), new("interval", 1, 'i'),
        new("index", 1, 'x'), new("portal_type", 2, 'A'), new("no_wait", 0, 'W'),
    ];

    /// <summary>usr/iscsiadm.c <c>mode_paras</c>: the options each mode accepts.</summary>
    private static readonly (string Name, string Allowed, bool SkipM)[] ModeParams =
    [
        ("discovery", "DSIPdmntplov", false),
        ("discovery", "DSIPdmntplov", false),
        ("node", "RsPIdmlSonvupTULW", false),
        ("session", "PiRdrmusonuSv", true),
        ("host", "CHdmPotnvxA", false),
        ("iface", "HIdnvmPoCabci", false),
        ("fw", "dmlWnv", false),
    ];

    /// <summary>True when the command line is in iscsiadm's form (starts with an option) rather than a subcommand.</summary>
    internal static bool IsIscsiadmSyntax(string[] args) => args.Length == 0 || args[0].StartsWith('-');

    /// <summary>Runs one iscsiadm command line; returns its exit code.</summary>
    internal static int Run(string[] args, CliEnvironment env)
    {
        var a = new IscsiadmArgs();
        string[] argv = StripJson(args, a);
        var getopt = new Getopt(argv, ShortOptions, LongOptions, Program, env.Stderr);
        int rc;
        int ch;
        string? name = null;
        string? value = null;
        while ((ch = getopt.Next()) >= 0)
        {
            string arg = getopt.OptArg ?? string.Empty;
            switch ((char)ch)
            {
                case 'k':
                    int priority = Atoi(arg);
                    if (priority < 0)
                    {
                        env.Error($"Invalid killiscsid priority {priority} Priority must be greater than or equal to zero.");
                        return (int)IscsiadmExitCode.InvalidParameter;
                    }

                    // iscsinat has no iscsid to stop: -k is accepted and does nothing.
                    return (int)IscsiadmExitCode.Success;
                case 't':
                    a.Type = arg is "sendtargets" or "st" ? 0 : arg switch { "slp" => 1, "isns" => 2, "fw" => 3, _ => -1 };
                    break;
                case 'o':
                    a.Op |= ToOp(arg);
                    if (a.Op == IscsiadmOp.Noop)
                    {
                        env.Error($"can not recognize operation: '{arg}'");
                        return (int)IscsiadmExitCode.InvalidParameter;
                    }

                    break;
                case 'n':
                    name = arg;
                    break;
                case 'v':
                    value = arg;
                    break;
                case 'H':
                    if (!ParseHost(arg, env, out long host))
                    {
                        return (int)IscsiadmExitCode.InvalidParameter;
                    }

                    a.HostNo = host;
                    break;
                case 'r':
                    if ((rc = ParseSid(arg, env, out int sid)) != 0)
                    {
                        return rc;
                    }

                    a.Sid = sid;
                    break;
                case 'R':
                    a.Rescan = true;
                    break;
                case 'P':
                    a.InfoLevel = Atoi(arg);
                    break;
                case 'D':
                    a.Discover = true;
                    break;
                case 'l':
                    a.Login = true;
                    break;
                case 'u':
                    a.Logout = true;
                    break;
                case 'U':
                    a.LogoutAll = true;
                    a.GroupMode = arg;
                    break;
                case 'L':
                    a.LoginAll = true;
                    a.GroupMode = arg;
                    break;
                case 's':
                    a.Stats = true;
                    break;
                case 'S':
                    a.Show = true;
                    break;
                case 'd':
                    // iscsinat's debug lines are few: why a logout failed (the exception or iscsid's answer).
                    a.DebugLevel = Atoi(arg);
                    break;
                case 'm':
                    a.Mode = ToMode(arg);
                    if ((rc = VerifyModeParams(getopt, a.Mode, env)) != 0)
                    {
                        return rc;
                    }

                    break;
                case 'C':
                    a.SubMode = arg switch { "ping" => 7, "chap" => 8, "flashnode" => 9, "stats" => 10, _ => -1 };
                    break;
                case 'T':
                    a.TargetName = arg;
                    break;
                case 'p':
                    (string? ip, int port, int tpgt) = ParseIpPort(arg, a.Port);
                    a.Ip = ip;
                    a.Port = port;
                    a.Tpgt = tpgt;
                    break;
                case 'a':
                    a.Ip = arg;
                    break;
                case 'I':
                    if (arg.Length is 0 or >= 65)
                    {
                        CliOutputText(env, $"Invalid iface name {arg}. Must be from 1 to 64 characters.\n");
                        return (int)IscsiadmExitCode.Success;
                    }

                    a.Ifaces.Add(arg);
                    break;
                case 'V':
                    CliOutputText(env, $"{Program} version {Version}\n");
                    return 0;
                case 'W':
                    a.Wait = false;
                    break;
                case 'h':
                    CliOutputText(env, Usage);
                    return 0;
                default:
                    // 'b', 'c', 'i', 'x', 'A' (ping, chap, flashnode) and '?' are only collected.
                    break;
            }

            if (name is not null && value is not null)
            {
                a.Params.Add((name, value));
                name = null;
                value = null;
            }
        }

        if (getopt.OptOpt != '\0')
        {
            env.Error($"unrecognized character '{getopt.OptOpt}'");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (a.Mode < 0)
        {
            env.Stderr.Write($"Try `{Program} --help' for more information.\n");
            env.Stderr.Flush();
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (a.DebugLevel > 0)
        {
            env = env with { DebugLevel = a.DebugLevel };
        }

        return (IscsiadmMode)a.Mode switch
        {
            IscsiadmMode.Session => SessionMode.Run(a, env),
            IscsiadmMode.Node => NodeMode.Run(a, env),
            IscsiadmMode.Discovery => DiscoveryMode.Run(a, env, db: false),
            IscsiadmMode.DiscoveryDb => DiscoveryMode.Run(a, env, db: true),
            IscsiadmMode.Iface => HostIfaceMode.RunIface(a, env),
            IscsiadmMode.Host => HostIfaceMode.RunHost(a, env),
            _ => NotSupported(env, "fw mode is not supported by iscsinat (no firmware boot tables are read)"),
        };
    }

    /// <summary>iscsiadm's usage text (<c>-h</c>), stdout.</summary>
    internal const string Usage =
        "iscsiadm -m discoverydb [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-Dl]] | [[-p ip:port -t type] [-o operation] [-n name] [-v value] [-lD]] \n" +
        "iscsiadm -m discovery [-hV] [-d debug_level] [-P printlevel] [-t type -p ip:port -I ifaceN ... [-l]] | [[-p ip:port] [-l | -D]] [-W]\n" +
        "iscsiadm -m node [-hV] [-d debug_level] [-P printlevel] [-L all,manual,automatic,onboot] [-W] [-U all,manual,automatic,onboot] [-S] [[-T targetname -p ip:port -I ifaceN] [-l | -u | -R | -s]] [[-o operation ] [-n name] [-v value]]\n" +
        "iscsiadm -m session [-hV] [-d debug_level] [-P printlevel] [-r sessionid | sysfsdir [-R | -u | -s] [-o operation] [-n name] [-v value]]\n" +
        "iscsiadm -m iface [-hV] [-d debug_level] [-P printlevel] [-I ifacename | -H hostno|MAC] [[-o operation ] [-n name] [-v value]] [-C ping [-a ip] [-b packetsize] [-c count] [-i interval]]\n" +
        "iscsiadm -m fw [-d debug_level] [-l] [-W] [[-n name] [-v value]]\n" +
        "iscsiadm -m host [-P printlevel] [-H hostno|MAC] [[-C chap [-x chap_tbl_idx]] | [-C flashnode [-A portal_type] [-x flashnode_idx]] | [-C stats]] [[-o operation] [-n name] [-v value]] \n" +
        "iscsiadm -k priority\n";

    /// <summary>Writes iscsiadm's <c>Try `iscsiadm --help'</c> line (usage(ISCSI_ERR_INVAL)) and returns 7.</summary>
    internal static int UsageError(CliEnvironment env)
    {
        env.Stderr.Write($"Try `{Program} --help' for more information.\n");
        env.Stderr.Flush();
        return (int)IscsiadmExitCode.InvalidParameter;
    }

    /// <summary>C's atoi.</summary>
    internal static int Atoi(string text) => (int)Commands.SysfsNumberText.Atoi(text);

    /// <summary>usr/iscsi_util.c <c>str_to_ipport</c>: address (null for an unclosed '['), port (unchanged when absent), tpgt (-1 when absent).</summary>
    internal static (string? Ip, int Port, int Tpgt) ParseIpPort(string text, int port)
    {
        // The C code cuts the string in place with NULs; a char buffer does the same here.
        char[] buf = [.. text, '\0'];
        int ip = 0;
        int cur = 0;
        bool sport = true;
        if (text.IndexOf('.', StringComparison.Ordinal) < 0)
        {
            if (buf[0] == '[')
            {
                int close = Array.IndexOf(buf, ']');
                if (close < 0)
                {
                    return (null, port, -1);
                }

                buf[close] = '\0';
                ip = 1;
                cur = close + 1;
            }
            else
            {
                int colon = IndexOf(buf, 0, ':');
                if (colon >= 0)
                {
                    if (IndexOf(buf, colon + 1, ':') >= 0)
                    {
                        sport = false;
                    }
                    else
                    {
                        cur = colon;
                    }
                }
            }
        }

        if (sport && IndexOf(buf, cur, ':') is int c and >= 0)
        {
            buf[c] = '\0';
            port = (int)(uint)StrToUl(buf, c + 1);
            cur = c + 1;
        }

        int tpgt = -1;
        if (IndexOf(buf, cur, ',') is int comma and >= 0)
        {
            buf[comma] = '\0';
            tpgt = (int)(uint)StrToUl(buf, comma + 1);
        }

        int end = IndexOf(buf, ip, '\0');
        return (new string(buf, ip, end - ip), port, tpgt);
    }

    private static int IndexOf(char[] buf, int from, char c)
    {
        for (int i = from; i < buf.Length; i++)
        {
            if (buf[i] == c)
            {
                return i;
            }

            if (buf[i] == '\0' && c != '\0')
            {
                return -1;
            }
        }

        return -1;
    }

    private static long StrToUl(char[] buf, int from)
    {
        int end = IndexOf(buf, from, '\0');
        return Commands.SysfsNumberText.Atoi(new string(buf, from, end - from));
    }

    private static void CliOutputText(CliEnvironment env, string text) => Commands.CliOutput.Raw(env, text);

    private static int NotSupported(CliEnvironment env, string what)
    {
        env.Stderr.Write($"iscsinat: {what}\n");
        return (int)IscsiadmExitCode.OperationNotSupported;
    }

    private static string[] StripJson(string[] args, IscsiadmArgs a)
    {
        var list = new List<string>(args.Length);
        foreach (string s in args)
        {
            if (s == "--json")
            {
                a.Json = true;
            }
            else
            {
                list.Add(s);
            }
        }

        return [.. list];
    }

    private static IscsiadmOp ToOp(string s) => s switch
    {
        "new" => IscsiadmOp.New,
        "delete" => IscsiadmOp.Delete,
        "update" => IscsiadmOp.Update,
        "show" => IscsiadmOp.Show,
        "nonpersistent" => IscsiadmOp.NonPersistent,
        "apply" => IscsiadmOp.Apply,
        "applyall" => IscsiadmOp.ApplyAll,
        "login" => IscsiadmOp.Login,
        "logout" => IscsiadmOp.Logout,
        _ => IscsiadmOp.Noop,
    };

    private static int ToMode(string s) => s switch
    {
        "discovery" => 0,
        "discoverydb" => 1,
        "node" => 2,
        "session" => 3,
        "iface" => 5,
        "fw" => 6,
        "host" => 4,
        _ => -1,
    };

    /// <summary>verify_mode_params: rescans the whole command line (reporting getopt errors again) for options the mode does not take.</summary>
    private static int VerifyModeParams(Getopt getopt, int mode, CliEnvironment env)
    {
        if (mode is < 0 or > 6)
        {
            env.Error($"mode {mode} is not yet supported");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        (string modeName, string allowed, bool skipM) = ModeParams[mode];
        var saved = getopt.Position;
        getopt.Reset();
        int rc = 0;
        int ch;
        while ((ch = getopt.Next()) >= 0)
        {
            if (!allowed.Contains((char)ch, StringComparison.Ordinal))
            {
                if (ch == 'm' && skipM)
                {
                    continue;
                }

                env.Error($"{modeName} mode: option '-{(char)ch}' is not allowed/supported");
                rc = (int)IscsiadmExitCode.InvalidParameter;
                break;
            }
        }

        getopt.Position = saved;
        return rc;
    }

    /// <summary>parse_host_info: a host number (no MAC lookup: iscsinat supports software iSCSI only).</summary>
    private static bool ParseHost(string text, CliEnvironment env, out long host)
    {
        host = -1;
        if (text.Contains(':'))
        {
            env.Error("Could not match MAC to host.");
            return false;
        }

        if (!ulong.TryParse(Digits(text), NumberStyles.None, CultureInfo.InvariantCulture, out ulong h) || h > uint.MaxValue)
        {
            env.Error($"Invalid host no {text}. Numerical result out of range.");
            return false;
        }

        host = (long)h;
        return true;
    }

    private static string Digits(string text)
    {
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i == 0 ? "0" : text[..i];
    }

    /// <summary>iscsi_sysfs_get_sid_from_path: a positive number, else a sysfs path naming sessionN; exits 1 when neither.</summary>
    private static int ParseSid(string text, CliEnvironment env, out int sid)
    {
        sid = -1;
        if (text.Length > 0 && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            sid = n;
            return 0;
        }

        string full = text.StartsWith("/sys", StringComparison.Ordinal) ? env.DefaultSysfsRoot + text[4..] : text;
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            env.Error($"{text} is an invalid session ID or path");
            return (int)IscsiadmExitCode.Error;
        }

        foreach (string part in text.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (part.StartsWith("session", StringComparison.Ordinal)
                && int.TryParse(part.AsSpan("session".Length), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                sid = n;
                return 0;
            }
        }

        env.Error($"invalid sid '{text}'");
        return (int)IscsiadmExitCode.InvalidParameter;
    }
}
