using System.Reflection;
using System.Reflection.Emit;

namespace IscsiNative.Tests.Architecture;

/// <summary>
/// What the code of an assembly uses, read by reflection: for every type (nested and compiler-generated ones too) its
/// base type, interfaces, fields, properties and signatures, and every type, method and field token in its method
/// bodies' IL. Shared by <see cref="LayerTests"/> (type to type) and <see cref="PackageTests"/> (type to member).
/// </summary>
internal static class CodeReferences
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Each type of <paramref name="assembly"/> with every member (types, methods, fields) its code refers to.</summary>
    internal static IEnumerable<(Type From, MemberInfo To)> Of(Assembly assembly)
    {
        foreach (Type type in assembly.GetTypes())
        {
            foreach (MemberInfo used in Of(type).Distinct())
            {
                yield return (type, used);
            }
        }
    }

    /// <summary>The types a member reference brings in: a type itself (element and generic arguments included), or a member's declaring and value types.</summary>
    internal static IEnumerable<Type> TypesOf(MemberInfo member)
    {
        switch (member)
        {
            case Type t:
                foreach (Type u in Expand(t))
                {
                    yield return u;
                }

                break;
            case FieldInfo f:
                foreach (Type u in Expand(f.DeclaringType).Concat(Expand(f.FieldType)))
                {
                    yield return u;
                }

                break;
            case MethodBase m:
                foreach (Type u in Expand(m.DeclaringType))
                {
                    yield return u;
                }

                if (m is MethodInfo mi)
                {
                    foreach (Type u in Expand(mi.ReturnType).Concat(mi.IsGenericMethod ? mi.GetGenericArguments().SelectMany(Expand) : []))
                    {
                        yield return u;
                    }
                }

                break;
        }
    }

    private static IEnumerable<Type> Expand(Type? t)
    {
        if (t is null)
        {
            yield break;
        }

        if (t.HasElementType)
        {
            foreach (Type e in Expand(t.GetElementType()))
            {
                yield return e;
            }

            yield break;
        }

        if (t.IsGenericType && !t.IsGenericTypeDefinition)
        {
            foreach (Type a in t.GetGenericArguments().SelectMany(Expand))
            {
                yield return a;
            }

            t = t.GetGenericTypeDefinition();
        }

        if (!t.IsGenericParameter)
        {
            yield return t;
        }
    }

    private static IEnumerable<MemberInfo> Of(Type type)
    {
        if (type.BaseType is { } b)
        {
            yield return b;
        }

        foreach (Type i in type.GetInterfaces())
        {
            yield return i;
        }

        foreach (FieldInfo f in type.GetFields(All))
        {
            yield return f.FieldType;
        }

        foreach (PropertyInfo p in type.GetProperties(All))
        {
            yield return p.PropertyType;
        }

        foreach (MethodBase m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi)
            {
                yield return mi.ReturnType;
            }

            foreach (ParameterInfo p in m.GetParameters())
            {
                yield return p.ParameterType;
            }

            MethodBody? body = m.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (LocalVariableInfo l in body.LocalVariables)
            {
                yield return l.LocalType;
            }

            foreach (MemberInfo member in TokensOf(m, body.GetILAsByteArray()!))
            {
                yield return member;
            }
        }
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
