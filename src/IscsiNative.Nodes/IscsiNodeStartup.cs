namespace IscsiNative.Nodes;

/// <summary><c>node.startup</c> / <c>node.conn[0].startup</c>: when a node is logged in without being named.</summary>
public enum IscsiNodeStartup
{
    /// <summary><c>manual</c>: only when asked for.</summary>
    Manual = 0,

    /// <summary><c>automatic</c>: at boot (<c>--loginall=automatic</c>).</summary>
    Automatic = 1,

    /// <summary><c>onboot</c>: firmware (iBFT) nodes, logged in by the initramfs.</summary>
    OnBoot = 2,
}

/// <summary>Which nodes <c>LoginAllAsync</c> logs in, as iscsiadm's <c>--loginall=</c>.</summary>
public enum IscsiNodeStartupFilter
{
    /// <summary><c>automatic</c>: node.startup or node.conn[0].startup is automatic.</summary>
    Automatic = 0,

    /// <summary><c>manual</c>: node.startup or node.conn[0].startup is manual.</summary>
    Manual = 1,

    /// <summary><c>onboot</c>: node.startup or node.conn[0].startup is onboot.</summary>
    OnBoot = 2,

    /// <summary><c>all</c>: every node.</summary>
    All = 3,
}

/// <summary><c>node.session.scan</c>: whether a login scans the target's LUNs.</summary>
public enum IscsiNodeScanMode
{
    /// <summary><c>auto</c>: scan after login (default).</summary>
    Auto = 0,

    /// <summary><c>manual</c>: no scan; LUNs are added on request.</summary>
    Manual = 1,
}

/// <summary><c>node.session.auth.authmethod</c>.</summary>
public enum IscsiNodeAuthMethod
{
    /// <summary><c>None</c>.</summary>
    None = 0,

    /// <summary><c>CHAP</c>.</summary>
    Chap = 1,
}
