using System.Reflection;
using System.Reflection.Emit;

namespace IscsiNative.Tests.Architecture;

/// <summary>
/// The layers of src/IscsiNative point down only and its namespaces form no cycle. Dependencies are read from every
/// type of the assembly (nested and compiler-generated ones too): base types, interfaces, fields, signatures and every
/// type, method and field token in the method bodies' IL.
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
        ["Initiator"] = ["Core", "Interop", "Netlink", "Sysfs", "Protocol", "Iscsid", "Nodes"],

        // open-iscsi's configuration: node records (login settings in Protocol's terms), iscsid.conf, initiatorname;
        // sysfs only to refuse deleting a node that has a session.
        ["Nodes"] = ["Core", "Interop", "Protocol", "Sysfs"],

        // The connector: sessions through the Initiator, devices and uevents below it; nothing depends on it.
        ["Volumes"] = ["Core", "Interop", "Protocol", "Netlink", "Sysfs", "Nodes", "Initiator"],
    };

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

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
        Assembly library = typeof(IscsiException).Assembly;
        var result = new List<(Type, Type)>();
        foreach (Type type in library.GetTypes())
        {
            if (LayerOf(type) is null)
            {
                continue;
            }

            var used = new HashSet<Type>();
            void Add(Type? t)
            {
                if (t is null)
                {
                    return;
                }

                if (t.HasElementType)
                {
                    Add(t.GetElementType());
                    return;
                }

                if (t.IsGenericType && !t.IsGenericTypeDefinition)
                {
                    foreach (Type a in t.GetGenericArguments())
                    {
                        Add(a);
                    }

                    t = t.GetGenericTypeDefinition();
                }

                if (!t.IsGenericParameter && t.Assembly == library)
                {
                    used.Add(t);
                }
            }

            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            Add(type.BaseType);
            foreach (Type i in type.GetInterfaces())
            {
                Add(i);
            }

            foreach (FieldInfo f in type.GetFields(All))
            {
                Add(f.FieldType);
            }

            foreach (PropertyInfo p in type.GetProperties(All))
            {
                Add(p.PropertyType);
            }

            foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                if (m is MethodInfo mi)
                {
                    Add(mi.ReturnType);
                }

                foreach (ParameterInfo p in m.GetParameters())
                {
                    Add(p.ParameterType);
                }

                MethodBody? body = m.GetMethodBody();
                if (body is null)
                {
                    continue;
                }

                foreach (LocalVariableInfo l in body.LocalVariables)
                {
                    Add(l.LocalType);
                }

                foreach (MemberInfo member in TokensOf(m, body.GetILAsByteArray()!))
                {
                    switch (member)
                    {
                        case Type t:
                            Add(t);
                            break;
                        case FieldInfo f:
                            Add(f.DeclaringType);
                            Add(f.FieldType);
                            break;
                        case MethodBase callee:
                            Add(callee.DeclaringType);
                            if (callee is MethodInfo ci)
                            {
                                Add(ci.ReturnType);
                                foreach (Type g in ci.IsGenericMethod ? ci.GetGenericArguments() : [])
                                {
                                    Add(g);
                                }
                            }

                            break;
                    }
                }
            }

            foreach (Type t in used)
            {
                if (LayerOf(t) is not null)
                {
                    result.Add((type, t));
                }
            }
        }

        return result;
    }

    private static IEnumerable<MemberInfo> TokensOf(MethodBase method, byte[] il)
    {
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[i++]);
            }

            OpCode op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, i);
                    i += 4;
                    yield return method.Module.ResolveMember(token, typeArgs, methodArgs)!;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
