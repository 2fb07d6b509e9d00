using System.Reflection;

namespace IscsiNative.Tests.Architecture;

/// <summary>
/// The layers (namespaces) of the product's assemblies point down only and form no cycle. Dependencies are read from
/// every type of every product assembly (<see cref="PackageTests.Product"/>; nested and compiler-generated types too):
/// base types, interfaces, fields, signatures and every type, method and field token in the method bodies' IL
/// (<see cref="CodeReferences"/>). Which assembly may use which is <see cref="PackageTests"/>' business.
/// </summary>
public sealed class LayerTests
{
    /// <summary>What each layer may use besides itself. "Core" is the root namespace (errors, statistics, shared values).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Interop"] = [],
        ["Core"] = ["Interop"],
        ["Protocol"] = ["Core"],
        ["Netlink"] = ["Core", "Interop"],
        // Sysfs: the session as the kernel shows it; a session from a login also carries its NegotiatedParameters.
        ["Sysfs"] = ["Core", "Interop", "Protocol"],
        ["Iscsid"] = ["Core", "Interop"],

        // Presentation: sysfs entries, iscsid's states and the initiator's result records; never the kernel or wire layers.
        ["Formatting"] = ["Core", "Sysfs", "Iscsid", "Initiator"],
        ["Initiator"] = ["Core", "Interop", "Netlink", "Sysfs", "Protocol", "Iscsid"],

        // Package IscsiNative.Nodes, open-iscsi's configuration: node records (login settings in Protocol's terms),
        // iscsid.conf, initiatorname; logins from records and adoption through the Initiator; sysfs to find a node's
        // session. Nothing in the core depends on it.
        ["Nodes"] = ["Core", "Interop", "Protocol", "Sysfs", "Initiator"],

        // Package IscsiNative.Volumes, the connector: sessions through the Initiator, devices and uevents below it;
        // no node records. Nothing depends on it.
        ["Volumes"] = ["Core", "Interop", "Protocol", "Sysfs", "Initiator"],
    };

    [Fact]
    public void Every_layer_depends_only_on_the_layers_below_it()
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach ((Type from, Type to) in Dependencies())
        {
            string a = LayerOf(from)!, b = LayerOf(to)!;
            Assert.True(Allowed.ContainsKey(a), $"{from.FullName} is in namespace {from.Namespace}, which has no layer rule");
            if (a != b && !Allowed[a].Contains(b))
            {
                violations.Add($"{a} -> {b}: {from.FullName} uses {to.FullName}");
            }
        }

        Assert.True(violations.Count == 0, "Forbidden layer dependencies:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Namespaces_form_no_cycle()
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach ((Type from, Type to) in Dependencies())
        {
            string a = NamespaceOf(from), b = NamespaceOf(to);
            if (a != b)
            {
                (edges.TryGetValue(a, out HashSet<string>? set) ? set : edges[a] = []).Add(b);
            }
        }

        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new Stack<string>();
        foreach (string ns in edges.Keys)
        {
            string? cycle = FindCycle(ns, edges, state, path);
            Assert.True(cycle is null, "Namespace cycle: " + cycle);
        }
    }

    [Fact]
    public void The_rules_see_real_dependencies()
    {
        // Guards the walker itself: these edges exist in the code and must be found.
        var found = Dependencies().Select(d => (LayerOf(d.From), LayerOf(d.To))).ToHashSet();
        Assert.Contains(("Initiator", "Netlink"), found);
        Assert.Contains(("Sysfs", "Interop"), found);
        Assert.Contains(("Protocol", "Core"), found);
        Assert.Contains(("Volumes", "Initiator"), found);
        Assert.Contains(("Nodes", "Initiator"), found);
    }

    private static string? FindCycle(string ns, Dictionary<string, HashSet<string>> edges, Dictionary<string, int> state, Stack<string> path)
    {
        if (state.TryGetValue(ns, out int s))
        {
            return s == 1 ? string.Join(" -> ", path.Reverse().SkipWhile(p => p != ns).Append(ns)) : null;
        }

        state[ns] = 1;
        path.Push(ns);
        foreach (string next in edges.TryGetValue(ns, out HashSet<string>? set) ? set : [])
        {
            if (FindCycle(next, edges, state, path) is string cycle)
            {
                return cycle;
            }
        }

        path.Pop();
        state[ns] = 2;
        return null;
    }

    private static Type Outermost(Type t)
    {
        while (t.DeclaringType is not null)
        {
            t = t.DeclaringType;
        }

        return t;
    }

    private static string NamespaceOf(Type t)
    {
        t = Outermost(t);
        return t.FullName == "IscsiNative.Interop" ? "IscsiNative.Interop" : t.Namespace ?? "";
    }

    /// <summary>The layer of a library type, or null for types outside the layered namespaces (compiler-emitted helpers).</summary>
    private static string? LayerOf(Type t)
    {
        string ns = NamespaceOf(t);
        return ns switch
        {
            "IscsiNative" => "Core",
            _ when ns.StartsWith("IscsiNative.", StringComparison.Ordinal) => ns["IscsiNative.".Length..].Split('.')[0],
            _ => null,
        };
    }

    private static List<(Type From, Type To)> Dependencies()
    {
        var result = new List<(Type, Type)>();
        foreach (Assembly assembly in PackageTests.Product)
        {
            foreach ((Type from, MemberInfo member) in CodeReferences.Of(assembly))
            {
                if (LayerOf(from) is null)
                {
                    continue;
                }

                foreach (Type to in CodeReferences.TypesOf(member))
                {
                    if (PackageTests.Product.Contains(to.Assembly) && LayerOf(to) is not null)
                    {
                        result.Add((from, to));
                    }
                }
            }
        }

        return [.. result.Distinct()];
    }
}
