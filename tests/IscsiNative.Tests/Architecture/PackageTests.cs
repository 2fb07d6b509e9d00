using System.Reflection;
using IscsiNative.Nodes;
using IscsiNative.Volumes;

namespace IscsiNative.Tests.Architecture;

/// <summary>
/// The packages: the core (IscsiNative) and the feature packages built on it (IscsiNative.Volumes). A feature package
/// uses the core's public API, plus only the internal entry points named in <see cref="CoreInternalsUsed"/> (the core
/// grants them InternalsVisibleTo); the core uses no feature package; each package holds only its own namespaces; and
/// the core's public surface stays within its budget.
/// </summary>
public sealed class PackageTests
{
    private static readonly Assembly Core = typeof(IscsiException).Assembly;
    private static readonly Assembly Volumes = typeof(IscsiVolumeConnector).Assembly;
    private static readonly Assembly Nodes = typeof(IscsiNodeDatabase).Assembly;

    /// <summary>Every assembly of the product (what the layer rules read).</summary>
    internal static readonly Assembly[] Product = [Core, Nodes, Volumes];

    /// <summary>
    /// The core's P/Invoke layer: feature packages call the kernel and the native shim (which ships in the core package
    /// only) through the core's one set of <c>[LibraryImport]</c> declarations and errno table, never their own.
    /// </summary>
    private const string InteropLayer = "IscsiNative.Interop.*";

    /// <summary>
    /// The core internals each feature package may use, as <c>Type.Member</c> (a type alone for a type, <c>.*</c> for
    /// everything under a type). Anything else internal fails
    /// <see cref="Feature_packages_use_only_the_named_internal_entry_points_of_the_core"/>: make it a deliberate public
    /// API or name it here, with the reason.
    /// </summary>
    private static readonly Dictionary<Assembly, string[]> CoreInternalsUsed = new()
    {
        [Volumes] =
        [
            InteropLayer,

            // Discovery before an attach logs in with the host's initiator name (initiatorname.iscsi), as the login would.
            "IscsiNative.Initiator.InitiatorNameFile.Resolve",

            // The connector's own sysfs files (scan, delete, rescan, dm, block sizes) through the one reader's file helpers.
            "IscsiNative.Sysfs.SysfsSessionReader.TryReadText",
            "IscsiNative.Sysfs.SysfsSessionReader.WriteAttribute",

            // Disk and multipath map waits use the initiator's one uevent reader (socket, thread and parser shared
            // with the login's device wait and the logout's host removal wait) through a device watch.
            "IscsiNative.Initiator.IscsiInitiator.get_Uevents",
            "IscsiNative.Sysfs.ScsiHostUevents.*",

            // The attach's phases (login, one-LUN scan, disk, multipathd, map) in the benchmarks' phase profile.
            "IscsiNative.PhaseTrace.Begin",
            "IscsiNative.PhaseTrace.End",
        ],
        [Nodes] =
        [
            InteropLayer,

            // ReadInitiatorName parses initiatorname.iscsi with the same (iscsid's) rules as the login that reads it.
            "IscsiNative.Initiator.InitiatorNameFile.Parse",

            // LoginAllAsync refuses a disposed initiator before it starts, as the initiator's own methods do.
            "IscsiNative.Initiator.IscsiInitiator.ThrowIfDisposed",

            // Adoption: the node-independent half (host ownership lock, event subscription, taking over the recovery of a
            // session with given login settings) stays in the core with the recovery machinery it drives; Nodes matches
            // sessions to records and reports the outcome.
            "IscsiNative.Initiator.IscsiInitiator.BeginAdoptionAsync",
            "IscsiNative.Initiator.SessionAdoption.*",
            "IscsiNative.Initiator.SessionAdoptionResult",
        ],
    };

    /// <summary>The namespaces each package may hold (the root namespace and the core's layers in the core).</summary>
    private static readonly Dictionary<Assembly, string[]> Namespaces = new()
    {
        [Core] = ["IscsiNative", "IscsiNative.Interop", "IscsiNative.Protocol", "IscsiNative.Netlink", "IscsiNative.Sysfs", "IscsiNative.Iscsid", "IscsiNative.Formatting", "IscsiNative.Initiator"],
        [Nodes] = ["IscsiNative.Nodes"],
        [Volumes] = ["IscsiNative.Volumes"],
    };

    [Fact]
    public void Feature_packages_use_only_the_named_internal_entry_points_of_the_core()
    {
        foreach ((Assembly feature, string[] allowed) in CoreInternalsUsed)
        {
            SortedSet<string> used = InternalsOf(Core, CodeReferences.Of(feature).Select(r => r.To));
            used.RemoveWhere(u => allowed.Any(a => a.EndsWith(".*", StringComparison.Ordinal) && (u == a[..^2] || u.StartsWith(a[..^1], StringComparison.Ordinal))));
            Assert.True(
                used.SetEquals(allowed.Where(a => !a.EndsWith(".*", StringComparison.Ordinal))),
                $"{feature.GetName().Name} uses these internals of the core: [{string.Join(", ", used.Select(u => '"' + u + '"'))}]; allowed: [{string.Join(", ", allowed)}]");
        }
    }

    /// <summary>
    /// The core's public types (nested ones count): the 1.0 review (issue #12) asked for about 30. Raising this is an API
    /// review decision, not a fix for a failing build: prefer an internal type, a nested shape or a feature package.
    /// </summary>
    private const int CorePublicTypeBudget = 33;

    [Fact]
    public void The_core_public_surface_stays_within_its_budget()
    {
        string[] exported = [.. Core.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal)];
        Assert.True(exported.Length <= CorePublicTypeBudget, $"{exported.Length} public types in the core (budget {CorePublicTypeBudget}): {string.Join(", ", exported)}");
    }

    [Fact]
    public void The_core_uses_no_feature_package()
    {
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), r => Product.Any(p => p != Core && p.GetName().Name == r.Name));
    }

    [Fact]
    public void Each_package_holds_only_its_own_namespaces()
    {
        foreach ((Assembly assembly, string[] namespaces) in Namespaces)
        {
            string[] stray = [.. assembly.GetTypes()
                .Where(t => t.Namespace is { } ns && ns.StartsWith("IscsiNative", StringComparison.Ordinal) && !namespaces.Contains(ns))
                .Select(t => t.FullName!)];
            Assert.True(stray.Length == 0, $"{assembly.GetName().Name} holds types outside its namespaces: {string.Join(", ", stray)}");
        }
    }

    private static SortedSet<string> InternalsOf(Assembly core, IEnumerable<MemberInfo> members)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (MemberInfo member in members)
        {
            switch (member)
            {
                case Type t:
                    foreach (Type u in CodeReferences.TypesOf(t).Where(u => u.Assembly == core && !u.IsVisible))
                    {
                        result.Add(Name(u));
                    }

                    break;
                case MethodBase m when m.DeclaringType?.Assembly == core && !(m.DeclaringType.IsVisible && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly)):
                    result.Add(Name(m.DeclaringType) + "." + m.Name);
                    break;
                case FieldInfo f when f.DeclaringType?.Assembly == core && !(f.DeclaringType.IsVisible && (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly)):
                    result.Add(Name(f.DeclaringType) + "." + f.Name);
                    break;
            }
        }

        return result;
    }

    private static string Name(Type t) => t.FullName!.Replace('+', '.');
}
