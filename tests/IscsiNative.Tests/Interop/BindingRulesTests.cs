using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace IscsiNative.Tests.Interop;

/// <summary>Pins the binding rules: LibraryImport only, and every import resolves in the shipped shim.</summary>
public sealed class BindingRulesTests
{
    internal static string RepoRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "IscsiNative.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("IscsiNative.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void No_source_file_declares_a_DllImport()
    {
        var offenders = new List<string>();
        foreach (string top in new[] { "src", "samples", "benchmarks", "tests" })
        {
            string root = Path.Combine(RepoRoot, top);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                // The attribute spelled as an attribute; this file names it only inside strings and regexes.
                if (Regex.IsMatch(File.ReadAllText(file), @"\[\s*(System\.Runtime\.InteropServices\.)?DllImport(Attribute)?\s*\("))
                {
                    offenders.Add(Path.GetRelativePath(RepoRoot, file));
                }
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_shim_import_has_an_export_in_libiscsinative()
    {
        Assembly library = typeof(IscsiNative.IscsiException).Assembly;
        IntPtr handle = NativeLibrary.Load("libiscsinative", library, null);
        var missing = new List<string>();
        int checkedCount = 0;
        foreach (Type type in library.GetTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                // The LibraryImport generator leaves the attribute on the partial declaration and emits a
                // private extern stub carrying a DllImport with the same entry point: read that one.
                DllImportAttribute? import = method.GetCustomAttribute<DllImportAttribute>();
                if (import is null || import.Value != "libiscsinative")
                {
                    continue;
                }

                checkedCount++;
                string entry = import.EntryPoint ?? method.Name;
                if (!NativeLibrary.TryGetExport(handle, entry, out _))
                {
                    missing.Add(entry);
                }
            }
        }

        Assert.True(checkedCount > 0, "no shim imports were found to check");
        Assert.Empty(missing);
    }

    [Fact]
    public void Shim_version_matches_the_managed_expectation()
    {
        Assert.Equal(IscsiNative.Interop.Shim.ExpectedVersion, IscsiNative.Interop.Shim.GetShimVersion());
    }
}
