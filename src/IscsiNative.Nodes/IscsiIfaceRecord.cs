namespace IscsiNative.Nodes;

/// <summary>An iface record (<c>ifaces/NAME</c>): which transport, network device and initiator name a node binds to.</summary>
public sealed class IscsiIfaceRecord
{
    internal IscsiIfaceRecord(RecordFields fields)
    {
        Fields = fields;
    }

    /// <summary>A new iface with open-iscsi's defaults (transport <c>tcp</c>), like <c>iscsiadm -m iface -I NAME -o new</c>.</summary>
    /// <param name="name">The iface name.</param>
    /// <exception cref="ArgumentException">An empty or unsafe name.</exception>
    public IscsiIfaceRecord(string name)
        : this(new RecordFields(RecordKind.Iface))
    {
        IscsiNodeRecord.ValidateName(name, nameof(name));
        Fields.Set("iface.iscsi_ifacename", name);
    }

    internal RecordFields Fields { get; }

    /// <summary><c>iface.iscsi_ifacename</c>.</summary>
    public string Name => Fields.Get("iface.iscsi_ifacename");

    /// <summary><c>iface.transport_name</c>.</summary>
    public string TransportName { get => Fields.Get("iface.transport_name"); set => Set("iface.transport_name", value); }

    /// <summary><c>iface.net_ifacename</c> or null.</summary>
    public string? NetworkDevice { get => NullIfEmpty("iface.net_ifacename"); set => Set("iface.net_ifacename", value ?? ""); }

    /// <summary><c>iface.hwaddress</c> or null.</summary>
    public string? HardwareAddress { get => NullIfEmpty("iface.hwaddress"); set => Set("iface.hwaddress", value ?? ""); }

    /// <summary><c>iface.ipaddress</c> or null.</summary>
    public string? IPAddress { get => NullIfEmpty("iface.ipaddress"); set => Set("iface.ipaddress", value ?? ""); }

    /// <summary><c>iface.initiatorname</c> or null.</summary>
    public string? InitiatorName { get => NullIfEmpty("iface.initiatorname"); set => Set("iface.initiatorname", value ?? ""); }

    /// <summary>The raw value of a key.</summary>
    /// <param name="key">e.g. <c>iface.mtu</c>.</param>
    /// <returns>The value, empty when unset.</returns>
    public string GetValue(string key) => Fields.Get(key);

    /// <summary>The record as <c>iscsiadm -m iface -I NAME -o show</c> prints it.</summary>
    /// <returns>The text.</returns>
    public string Format() => Fields.ToShowText(showSecrets: false);

    /// <summary>The file content iscsiadm 2.1.8 writes.</summary>
    /// <returns>The text.</returns>
    public string ToFileText() => Fields.ToFileText();

    /// <summary>The iface name and transport.</summary>
    /// <returns>e.g. <c>if0 tcp</c>.</returns>
    public override string ToString() => $"{Name} {TransportName}";

    private void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny("\n\r\0") >= 0)
        {
            throw new ArgumentException($"The value of {key} must not contain line breaks or NUL.", nameof(value));
        }

        Fields.Set(key, value.Trim());
    }

    private string? NullIfEmpty(string key)
    {
        string v = Fields.Get(key);
        return v.Length == 0 ? null : v;
    }
}
