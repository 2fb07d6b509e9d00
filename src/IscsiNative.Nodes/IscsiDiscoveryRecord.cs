using System.Globalization;

namespace IscsiNative.Nodes;

/// <summary>A SendTargets discovery record (<c>send_targets/ADDR,PORT/st_config</c>). Never shows a secret in <see cref="ToString"/>.</summary>
public sealed class IscsiDiscoveryRecord
{
    internal IscsiDiscoveryRecord(RecordFields fields)
    {
        Fields = fields;
    }

    internal RecordFields Fields { get; }

    /// <summary>The file it was read from.</summary>
    public string? FilePath => Fields.Path;

    /// <summary><c>discovery.sendtargets.address</c> and <c>port</c>.</summary>
    public IscsiPortal Portal => new(Fields.Get("discovery.sendtargets.address"),
        int.TryParse(Fields.Get("discovery.sendtargets.port"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : IscsiPortal.DefaultPort);

    /// <summary>The raw value of a key (empty when unset).</summary>
    /// <param name="key">e.g. <c>discovery.sendtargets.auth.authmethod</c>.</param>
    /// <returns>The value.</returns>
    public string GetValue(string key) => Fields.Get(key);

    /// <summary>Sets a key as <c>iscsiadm -m discoverydb -o update -n KEY -v VALUE</c> does (write it with <see cref="IscsiNodeDatabase.SaveDiscovery"/>).</summary>
    /// <param name="key">A discovery key, e.g. <c>discovery.sendtargets.auth.authmethod</c>.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">Not a discovery key, or the address/port that name the record (iscsiadm's messages).</exception>
    public void SetValue(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!Fields.IsKnown(key))
        {
            throw new ArgumentException($"Cannot modify {key}. Invalid param name.", nameof(key));
        }

        if (key is "discovery.sendtargets.address" or "discovery.sendtargets.port" or "discovery.type")
        {
            throw new ArgumentException($"Cannot modify {key}. It is used to look up the record and cannot be changed.", nameof(key));
        }

        Fields.Set(key, value);
    }

    /// <summary>The record as <c>iscsiadm -m discoverydb -t st -p .. -o show</c> prints it (passwords masked unless <paramref name="showSecrets"/>).</summary>
    /// <param name="showSecrets">Print passwords in clear.</param>
    /// <returns>The text.</returns>
    public string Format(bool showSecrets = false) => Fields.ToShowText(showSecrets);

    /// <summary>The file content iscsiadm 2.1.8 writes.</summary>
    /// <returns>The text.</returns>
    public string ToFileText() => Fields.ToFileText();

    /// <summary>The discovery portal.</summary>
    /// <returns>e.g. <c>send_targets 127.0.0.1,3260</c>.</returns>
    public override string ToString() => $"send_targets {Fields.Get("discovery.sendtargets.address")},{Fields.Get("discovery.sendtargets.port")}";
}
