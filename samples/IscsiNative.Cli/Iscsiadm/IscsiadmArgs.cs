namespace IscsiNative.Cli.Iscsiadm;

/// <summary>iscsiadm's modes (usr/iscsiadm.c <c>enum iscsiadm_mode</c>, same order).</summary>
internal enum IscsiadmMode
{
    Discovery = 0,
    DiscoveryDb = 1,
    Node = 2,
    Session = 3,
    Host = 4,
    Iface = 5,
    Fw = 6,
}

/// <summary>iscsiadm's <c>-o</c> operations, a bit set (<c>op |= str_to_op()</c>).</summary>
[Flags]
internal enum IscsiadmOp
{
    Noop = 0x0,
    New = 0x1,
    Delete = 0x2,
    Update = 0x4,
    Show = 0x8,
    NonPersistent = 0x10,
    Apply = 0x20,
    ApplyAll = 0x40,
    Login = 0x80,
    Logout = 0x100,
}

/// <summary>What iscsiadm's main() has collected from the command line (its local variables, same defaults).</summary>
internal sealed class IscsiadmArgs
{
    internal int Mode { get; set; } = -1;

    internal string? Ip { get; set; }

    internal int Port { get; set; } = -1;

    internal int Tpgt { get; set; } = -1;

    internal string? TargetName { get; set; }

    internal List<string> Ifaces { get; } = [];

    internal IscsiadmOp Op { get; set; }

    internal int Type { get; set; } = -1;

    internal List<(string Name, string Value)> Params { get; } = [];

    internal int Sid { get; set; } = -1;

    internal bool Rescan { get; set; }

    internal int InfoLevel { get; set; } = -1;

    internal bool Discover { get; set; }

    internal bool Login { get; set; }

    internal bool Logout { get; set; }

    internal bool LoginAll { get; set; }

    internal bool LogoutAll { get; set; }

    internal string? GroupMode { get; set; }

    internal bool Stats { get; set; }

    internal bool Show { get; set; }

    internal bool Wait { get; set; } = true;

    internal long HostNo { get; set; } = -1;

    internal int SubMode { get; set; } = -1;

    /// <summary><c>-d N</c> (iscsiadm's log_level).</summary>
    internal int DebugLevel { get; set; }

    /// <summary>iscsinat's own <c>--json</c> (taken out before option parsing).</summary>
    internal bool Json { get; set; }
}
