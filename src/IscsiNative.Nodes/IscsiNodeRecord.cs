using System.Globalization;
using IscsiNative.Protocol;

namespace IscsiNative.Nodes;

/// <summary>
/// One open-iscsi node record (<c>nodes/TARGET/ADDR,PORT,TPGT/IFACE</c>): its identity, typed settings for
/// everything a login uses, and every other key by name. Reading and rewriting is lossless (keys this library does
/// not know are kept). <see cref="ToString"/> never shows a secret; <see cref="Format"/> masks passwords as iscsiadm does.
/// </summary>
public sealed class IscsiNodeRecord
{
    internal IscsiNodeRecord(RecordFields fields)
    {
        Fields = fields;
    }

    /// <summary>A new record with open-iscsi's code defaults (iscsid.conf is applied by <see cref="IscsiNodeDatabase"/>).</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The target portal.</param>
    /// <param name="tpgt">The portal group tag, -1 when unknown.</param>
    /// <param name="ifaceName">The iface (<c>default</c>).</param>
    /// <exception cref="ArgumentException">An empty or unsafe target or iface name (slash, comma, newline, NUL).</exception>
    public IscsiNodeRecord(string targetName, IscsiPortal portal, int tpgt = -1, string ifaceName = "default")
        : this(new RecordFields(RecordKind.Node))
    {
        ValidateName(targetName, nameof(targetName));
        ValidateName(ifaceName, nameof(ifaceName));
        ArgumentNullException.ThrowIfNull(portal);
        Fields.Set("node.name", targetName);
        Fields.Set("node.tpgt", tpgt.ToString(CultureInfo.InvariantCulture));
        Fields.Set("node.conn[0].address", portal.Address);
        Fields.Set("node.conn[0].port", portal.Port.ToString(CultureInfo.InvariantCulture));
        Fields.Set("iface.iscsi_ifacename", ifaceName);
    }

    internal RecordFields Fields { get; }

    /// <summary>The file the record was read from, or null for a new one.</summary>
    public string? FilePath => Fields.Path;

    /// <summary><c>node.name</c>: the target IQN.</summary>
    public string TargetName => Fields.Get("node.name");

    /// <summary><c>node.tpgt</c>: the portal group tag, -1 when unknown.</summary>
    public int Tpgt => GetInt("node.tpgt");

    /// <summary><c>node.conn[0].address</c> and <c>port</c>.</summary>
    public IscsiPortal Portal => new(Fields.Get("node.conn[0].address"), GetInt("node.conn[0].port"));

    /// <summary><c>iface.iscsi_ifacename</c>.</summary>
    public string IfaceName => Fields.Get("iface.iscsi_ifacename");

    /// <summary><c>iface.transport_name</c> (<c>tcp</c>).</summary>
    public string TransportName { get => Fields.Get("iface.transport_name"); set => SetString("iface.transport_name", value); }

    /// <summary><c>iface.initiatorname</c>: overrides initiatorname.iscsi for this node when set.</summary>
    public string? IfaceInitiatorName { get => NullIfEmpty("iface.initiatorname"); set => SetString("iface.initiatorname", value ?? ""); }

    /// <summary><c>iface.net_ifacename</c>.</summary>
    public string? IfaceNetworkDevice { get => NullIfEmpty("iface.net_ifacename"); set => SetString("iface.net_ifacename", value ?? ""); }

    /// <summary><c>iface.hwaddress</c>.</summary>
    public string? IfaceHardwareAddress { get => NullIfEmpty("iface.hwaddress"); set => SetString("iface.hwaddress", value ?? ""); }

    /// <summary><c>iface.ipaddress</c> (offload ifaces only: iscsi_tcp cannot bind by address, as in open-iscsi).</summary>
    public string? IfaceIpAddress { get => NullIfEmpty("iface.ipaddress"); set => SetString("iface.ipaddress", value ?? ""); }

    /// <summary><c>node.conn[0].tcp.window_size</c>: SO_RCVBUF/SO_SNDBUF of the connection in bytes (0 leaves the kernel's).</summary>
    public int TcpWindowSize { get => GetInt("node.conn[0].tcp.window_size"); set => SetInt("node.conn[0].tcp.window_size", value, 0, int.MaxValue); }

    /// <summary><c>node.startup</c>.</summary>
    public IscsiNodeStartup Startup { get => GetStartup("node.startup"); set => Fields.Set("node.startup", StartupText(value)); }

    /// <summary><c>node.conn[0].startup</c>.</summary>
    public IscsiNodeStartup ConnectionStartup { get => GetStartup("node.conn[0].startup"); set => Fields.Set("node.conn[0].startup", StartupText(value)); }

    /// <summary><c>node.leading_login</c>.</summary>
    public bool LeadingLogin { get => GetBool("node.leading_login"); set => SetBool("node.leading_login", value); }

    /// <summary><c>node.discovery_address</c>, null for static records.</summary>
    public string? DiscoveryAddress => NullIfEmpty("node.discovery_address");

    /// <summary><c>node.discovery_port</c>.</summary>
    public int DiscoveryPort => GetInt("node.discovery_port");

    /// <summary><c>node.discovery_type</c> (<c>static</c>, <c>send_targets</c>, <c>isns</c>, <c>fw</c>, ...).</summary>
    public string DiscoveryType => Fields.Get("node.discovery_type");

    /// <summary><c>node.session.cmds_max</c>.</summary>
    public int CmdsMax { get => GetInt("node.session.cmds_max"); set => SetInt("node.session.cmds_max", value, 1, ushort.MaxValue); }

    /// <summary><c>node.session.queue_depth</c>.</summary>
    public int QueueDepth { get => GetInt("node.session.queue_depth"); set => SetInt("node.session.queue_depth", value, 1, ushort.MaxValue); }

    /// <summary><c>node.session.nr_sessions</c>: sessions a login keeps to this node.</summary>
    public int SessionCount { get => GetInt("node.session.nr_sessions"); set => SetInt("node.session.nr_sessions", value, 1, 256); }

    /// <summary><c>node.session.initial_login_retry_max</c>.</summary>
    public int InitialLoginRetryMax { get => GetInt("node.session.initial_login_retry_max"); set => SetInt("node.session.initial_login_retry_max", value, 0, int.MaxValue); }

    /// <summary><c>node.session.auth.authmethod</c>.</summary>
    public IscsiNodeAuthMethod AuthMethod
    {
        get => Fields.Get("node.session.auth.authmethod") == "CHAP" ? IscsiNodeAuthMethod.Chap : IscsiNodeAuthMethod.None;
        set => Fields.Set("node.session.auth.authmethod", value == IscsiNodeAuthMethod.Chap ? "CHAP" : "None");
    }

    /// <summary><c>node.session.auth.username</c>.</summary>
    public string? Username { get => NullIfEmpty("node.session.auth.username"); set => SetString("node.session.auth.username", value ?? ""); }

    /// <summary><c>node.session.auth.password</c> (a secret: never logged, masked by <see cref="Format"/>).</summary>
    public string? Password { get => NullIfEmpty("node.session.auth.password"); set => SetString("node.session.auth.password", value ?? ""); }

    /// <summary><c>node.session.auth.username_in</c> (mutual CHAP: the target's name).</summary>
    public string? UsernameIn { get => NullIfEmpty("node.session.auth.username_in"); set => SetString("node.session.auth.username_in", value ?? ""); }

    /// <summary><c>node.session.auth.password_in</c> (mutual CHAP: the target's secret).</summary>
    public string? PasswordIn { get => NullIfEmpty("node.session.auth.password_in"); set => SetString("node.session.auth.password_in", value ?? ""); }

    /// <summary><c>node.session.auth.chap_algs</c>, in offer order (<c>MD5</c>, <c>SHA1</c>, <c>SHA256</c>, <c>SHA3-256</c>).</summary>
    public IReadOnlyList<ChapAlgorithm> ChapAlgorithms
    {
        get
        {
            var list = new List<ChapAlgorithm>();
            foreach (string part in Fields.Get("node.session.auth.chap_algs").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                list.Add(part.ToUpperInvariant() switch
                {
                    "MD5" => ChapAlgorithm.Md5,
                    "SHA1" => ChapAlgorithm.Sha1,
                    "SHA256" => ChapAlgorithm.Sha256,
                    "SHA3-256" => ChapAlgorithm.Sha3_256,
                    _ => throw Invalid("node.session.auth.chap_algs", "is not a list of MD5, SHA1, SHA256, SHA3-256"),
                });
            }

            return list.Count == 0 ? [ChapAlgorithm.Md5] : list;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Fields.Set("node.session.auth.chap_algs", string.Join(',', value.Select(a => a switch
            {
                ChapAlgorithm.Md5 => "MD5",
                ChapAlgorithm.Sha1 => "SHA1",
                ChapAlgorithm.Sha256 => "SHA256",
                ChapAlgorithm.Sha3_256 => "SHA3-256",
                _ => throw new ArgumentOutOfRangeException(nameof(value)),
            })));
        }
    }

    /// <summary><c>node.session.timeo.replacement_timeout</c> in seconds.</summary>
    public int ReplacementTimeout { get => GetInt("node.session.timeo.replacement_timeout"); set => SetInt("node.session.timeo.replacement_timeout", value, -1, int.MaxValue); }

    /// <summary><c>node.session.err_timeo.abort_timeout</c> in seconds.</summary>
    public int AbortTimeout { get => GetInt("node.session.err_timeo.abort_timeout"); set => SetInt("node.session.err_timeo.abort_timeout", value, 0, int.MaxValue); }

    /// <summary><c>node.session.err_timeo.lu_reset_timeout</c> in seconds.</summary>
    public int LunResetTimeout { get => GetInt("node.session.err_timeo.lu_reset_timeout"); set => SetInt("node.session.err_timeo.lu_reset_timeout", value, 0, int.MaxValue); }

    /// <summary><c>node.session.err_timeo.tgt_reset_timeout</c> in seconds.</summary>
    public int TargetResetTimeout { get => GetInt("node.session.err_timeo.tgt_reset_timeout"); set => SetInt("node.session.err_timeo.tgt_reset_timeout", value, 0, int.MaxValue); }

    /// <summary><c>node.session.err_timeo.host_reset_timeout</c> in seconds.</summary>
    public int HostResetTimeout { get => GetInt("node.session.err_timeo.host_reset_timeout"); set => SetInt("node.session.err_timeo.host_reset_timeout", value, 0, int.MaxValue); }

    /// <summary><c>node.session.iscsi.FastAbort</c>.</summary>
    public bool FastAbort { get => GetBool("node.session.iscsi.FastAbort"); set => SetBool("node.session.iscsi.FastAbort", value); }

    /// <summary><c>node.session.iscsi.InitialR2T</c>.</summary>
    public bool InitialR2T { get => GetBool("node.session.iscsi.InitialR2T"); set => SetBool("node.session.iscsi.InitialR2T", value); }

    /// <summary><c>node.session.iscsi.ImmediateData</c>.</summary>
    public bool ImmediateData { get => GetBool("node.session.iscsi.ImmediateData"); set => SetBool("node.session.iscsi.ImmediateData", value); }

    /// <summary><c>node.session.iscsi.FirstBurstLength</c>.</summary>
    public int FirstBurstLength { get => GetInt("node.session.iscsi.FirstBurstLength"); set => SetInt("node.session.iscsi.FirstBurstLength", value, 512, 16777215); }

    /// <summary><c>node.session.iscsi.MaxBurstLength</c>.</summary>
    public int MaxBurstLength { get => GetInt("node.session.iscsi.MaxBurstLength"); set => SetInt("node.session.iscsi.MaxBurstLength", value, 512, 16777215); }

    /// <summary><c>node.session.iscsi.DefaultTime2Wait</c>.</summary>
    public int DefaultTime2Wait { get => GetInt("node.session.iscsi.DefaultTime2Wait"); set => SetInt("node.session.iscsi.DefaultTime2Wait", value, 0, 3600); }

    /// <summary><c>node.session.iscsi.DefaultTime2Retain</c>.</summary>
    public int DefaultTime2Retain { get => GetInt("node.session.iscsi.DefaultTime2Retain"); set => SetInt("node.session.iscsi.DefaultTime2Retain", value, 0, 3600); }

    /// <summary><c>node.session.iscsi.MaxOutstandingR2T</c>.</summary>
    public int MaxOutstandingR2T { get => GetInt("node.session.iscsi.MaxOutstandingR2T"); set => SetInt("node.session.iscsi.MaxOutstandingR2T", value, 1, 65535); }

    /// <summary><c>node.session.scan</c>.</summary>
    public IscsiNodeScanMode Scan
    {
        get => Fields.Get("node.session.scan") == "manual" ? IscsiNodeScanMode.Manual : IscsiNodeScanMode.Auto;
        set => Fields.Set("node.session.scan", value == IscsiNodeScanMode.Manual ? "manual" : "auto");
    }

    /// <summary><c>node.conn[0].timeo.login_timeout</c> in seconds.</summary>
    public int LoginTimeout { get => GetInt("node.conn[0].timeo.login_timeout"); set => SetInt("node.conn[0].timeo.login_timeout", value, 1, int.MaxValue); }

    /// <summary><c>node.conn[0].timeo.logout_timeout</c> in seconds.</summary>
    public int LogoutTimeout { get => GetInt("node.conn[0].timeo.logout_timeout"); set => SetInt("node.conn[0].timeo.logout_timeout", value, 1, int.MaxValue); }

    /// <summary><c>node.conn[0].timeo.auth_timeout</c> in seconds.</summary>
    public int AuthTimeout { get => GetInt("node.conn[0].timeo.auth_timeout"); set => SetInt("node.conn[0].timeo.auth_timeout", value, 1, int.MaxValue); }

    /// <summary><c>node.conn[0].timeo.noop_out_interval</c> in seconds (0 disables).</summary>
    public int NoopOutInterval { get => GetInt("node.conn[0].timeo.noop_out_interval"); set => SetInt("node.conn[0].timeo.noop_out_interval", value, 0, int.MaxValue); }

    /// <summary><c>node.conn[0].timeo.noop_out_timeout</c> in seconds.</summary>
    public int NoopOutTimeout { get => GetInt("node.conn[0].timeo.noop_out_timeout"); set => SetInt("node.conn[0].timeo.noop_out_timeout", value, 0, int.MaxValue); }

    /// <summary><c>node.conn[0].iscsi.MaxRecvDataSegmentLength</c>.</summary>
    public int MaxRecvDataSegmentLength { get => GetInt("node.conn[0].iscsi.MaxRecvDataSegmentLength"); set => SetInt("node.conn[0].iscsi.MaxRecvDataSegmentLength", value, 512, 16777215); }

    /// <summary><c>node.conn[0].iscsi.MaxXmitDataSegmentLength</c> (0 = the target's value).</summary>
    public int MaxXmitDataSegmentLength { get => GetInt("node.conn[0].iscsi.MaxXmitDataSegmentLength"); set => SetInt("node.conn[0].iscsi.MaxXmitDataSegmentLength", value, 0, 16777215); }

    /// <summary><c>node.conn[0].iscsi.HeaderDigest</c>.</summary>
    public IscsiDigest HeaderDigest { get => GetDigest("node.conn[0].iscsi.HeaderDigest"); set => Fields.Set("node.conn[0].iscsi.HeaderDigest", DigestText(value)); }

    /// <summary><c>node.conn[0].iscsi.DataDigest</c>.</summary>
    public IscsiDigest DataDigest { get => GetDigest("node.conn[0].iscsi.DataDigest"); set => Fields.Set("node.conn[0].iscsi.DataDigest", DigestText(value)); }

    /// <summary>Keys in the record this library does not know (kept on rewrite).</summary>
    public IEnumerable<string> UnknownKeys => Fields.UnknownKeys;

    /// <summary>The raw value of any key (empty when unset).</summary>
    /// <param name="key">The record key, e.g. <c>node.session.iscsi.ERL</c>.</param>
    /// <returns>The value, empty string for an empty one.</returns>
    public string GetValue(string key) => Fields.Get(key);

    /// <summary>Sets any key that can be modified (<c>iscsiadm -o update -n KEY -v VALUE</c>).</summary>
    /// <param name="key">A node record key.</param>
    /// <param name="value">The value; empty clears it.</param>
    /// <exception cref="ArgumentException">An unknown key, one of the lookup keys (name, tpgt, address, port, iface name), or a value with a line break.</exception>
    public void SetValue(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!Fields.IsKnown(key))
        {
            throw new ArgumentException($"Cannot modify {key}. Invalid param name.", nameof(key));
        }

        if (key is "node.name" or "node.tpgt" or "node.conn[0].address" or "node.conn[0].port" or "iface.iscsi_ifacename")
        {
            throw new ArgumentException($"Cannot modify {key}. It is used to look up the record and cannot be changed.", nameof(key));
        }

        SetString(key, value);
    }

    /// <summary>
    /// The record as <c>iscsiadm -m node -T .. -p .. -o show</c> prints it: every key, <c>&lt;empty&gt;</c> for empty
    /// values, non-empty passwords as <c>********</c> unless <paramref name="showSecrets"/> (iscsiadm's <c>--show</c>).
    /// </summary>
    /// <param name="showSecrets">Print passwords in clear.</param>
    /// <returns>The text, newline-terminated lines.</returns>
    public string Format(bool showSecrets = false) => Fields.ToShowText(showSecrets);

    /// <summary>The file content iscsiadm 2.1.8 would write for this record.</summary>
    /// <returns>The record file text.</returns>
    public string ToFileText() => Fields.ToFileText();

    /// <summary>A copy that can be changed without touching this one.</summary>
    /// <returns>The copy.</returns>
    public IscsiNodeRecord Clone() => new(Fields.Clone());

    /// <summary>Target, portal, tpgt and iface; never a secret.</summary>
    /// <returns>e.g. <c>iqn.x:y 127.0.0.1:3260,1 [default]</c>.</returns>
    public override string ToString() =>
        $"{TargetName} {(Fields.Get("node.conn[0].address").Contains(':') ? "[" + Fields.Get("node.conn[0].address") + "]" : Fields.Get("node.conn[0].address"))}:{Fields.Get("node.conn[0].port")},{Fields.Get("node.tpgt")} [{IfaceName}]";

    internal static void ValidateName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (name.AsSpan().IndexOfAny("/,\n\r\0") >= 0 || name is "." or "..")
        {
            throw new ArgumentException("A target or iface name must not contain '/', ',', line breaks or NUL.", paramName);
        }
    }

    private static string StartupText(IscsiNodeStartup value) => value switch
    {
        IscsiNodeStartup.Manual => "manual",
        IscsiNodeStartup.Automatic => "automatic",
        IscsiNodeStartup.OnBoot => "onboot",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private static string DigestText(IscsiDigest value) => value switch
    {
        IscsiDigest.None => "None",
        IscsiDigest.Crc32C => "CRC32C",
        IscsiDigest.Crc32CThenNone => "CRC32C,None",
        IscsiDigest.NoneThenCrc32C => "None,CRC32C",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private IscsiNodeStartup GetStartup(string key) => Fields.Get(key) switch
    {
        "automatic" => IscsiNodeStartup.Automatic,
        "onboot" => IscsiNodeStartup.OnBoot,
        "manual" or "" => IscsiNodeStartup.Manual,
        _ => throw Invalid(key, "is not manual, automatic or onboot"),
    };

    private IscsiDigest GetDigest(string key) => Fields.Get(key).ToUpperInvariant() switch
    {
        "NONE" or "" => IscsiDigest.None,
        "CRC32C" => IscsiDigest.Crc32C,
        "CRC32C,NONE" => IscsiDigest.Crc32CThenNone,
        "NONE,CRC32C" => IscsiDigest.NoneThenCrc32C,
        _ => throw Invalid(key, "is not None, CRC32C, CRC32C,None or None,CRC32C"),
    };

    private bool GetBool(string key) => Fields.Get(key) switch
    {
        "Yes" => true,
        "No" or "" => false,
        _ => throw Invalid(key, "is not Yes or No"),
    };

    private void SetBool(string key, bool value) => Fields.Set(key, value ? "Yes" : "No");

    private int GetInt(string key)
    {
        string text = Fields.Get(key);
        if (text.Length == 0)
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw Invalid(key, "is not a number");
    }

    private void SetInt(string key, int value, int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max);
        Fields.Set(key, value.ToString(CultureInfo.InvariantCulture));
    }

    private void SetString(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("\n\r\0") >= 0)
        {
            throw new ArgumentException($"The value of {key} must not contain line breaks or NUL.", nameof(value));
        }

        if (value.Length > 255 && NodeRecordSchema.IsPassword(key))
        {
            throw new ArgumentException($"The value of {key} is longer than 255 characters.", nameof(value));
        }

        Fields.Set(key, value.Trim());
    }

    private string? NullIfEmpty(string key)
    {
        string value = Fields.Get(key);
        return value.Length == 0 ? null : value;
    }

    private IscsiNodeRecordFormatException Invalid(string key, string what) =>
        new(Fields.Path ?? "(new record)", Fields.LineOf(key), $"the value of {key} {what}");
}
