using System.Text;
using CsCheck;
using IscsiNative.Nodes;

namespace IscsiNative.Tests.Properties;

/// <summary>
/// Node, iface and discovery records (CsCheck, bounded iterations): any set of schema keys (of both address families)
/// and unknown keys, with any value a record line can hold, is written, read back unchanged, and written again to the
/// same bytes.
/// </summary>
public sealed class NodeRecordPropertyTests
{
    private const int Iterations = 200;

    // Values a record line can carry: no '\n' or NUL (line structure) and no C whitespace at either end (iscsiadm trims
    // it); inside, anything, including '=', spaces, '#' and non-ASCII text.
    private static readonly Gen<string> Value = Gen.Select(
            Gen.Char["abcXYZ019.-_:/@+,é中ß"],
            Gen.Char["abcXYZ019.-_:/@+,=# \té中ß"].Array[0, 30],
            Gen.Char["abcXYZ019.-_:/@+,é中ß"])
        .Select((first, middle, last) => first + new string(middle) + last);

    public static TheoryData<string> Kinds() => [nameof(RecordKind.Node), nameof(RecordKind.Iface), nameof(RecordKind.Discovery)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Any_known_and_unknown_keys_round_trip_through_the_file_form(string kindName)
    {
        var kind = Enum.Parse<RecordKind>(kindName);
        RecordLayout layout = RecordLayout.For(kind);
        // A record file holds the keys of its address family only (as iscsiadm writes it): the generated keys are the
        // ones both families write, and never the three that choose the family.
        string[] keys = [.. layout.OrderIPv4.Intersect(kind == RecordKind.Discovery ? layout.OrderIPv4 : layout.OrderIPv6)
            .Select(slot => layout.Keys[slot])
            .Where(key => key is not ("iface.ipaddress" or "iface.iscsi_ifacename" or "iface.bootproto"))];
        Assert.True(keys.Length > 10, $"only {keys.Length} keys to generate from");
        Gen.Select(
                Gen.Select(Gen.Int[0, keys.Length - 1], Value).Array[0, 24],
                Gen.Select(Gen.Int[0, 5], Value).Array[0, 4])
            .Sample((known, unknown) =>
            {
                var expected = new Dictionary<string, string>(StringComparer.Ordinal);
                var record = new RecordFields(kind);
                foreach ((int slot, string value) in known)
                {
                    record.Set(keys[slot], value);
                    expected[keys[slot]] = value;
                }

                foreach ((int n, string value) in unknown)
                {
                    string key = "x.property.unknown" + n;
                    record.Set(key, value);
                    expected[key] = value;
                }

                byte[] file = record.ToFileBytes();
                RecordFields back = RecordFields.Parse(kind, file, "property");
                foreach ((string key, string value) in expected)
                {
                    Assert.Equal(value, back.Get(key));
                }

                Assert.Equal(Encoding.UTF8.GetString(file), Encoding.UTF8.GetString(back.ToFileBytes()));
            }, iter: Iterations, threads: 1);
    }
}
