using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// Loads an iSCSI transport's kernel module the way modprobe (libkmod) would: <c>modules.dep</c> of the running
/// kernel gives the module file and its dependencies, loaded right to left with finit_module(2); modules already in
/// <c>/sys/module</c> are skipped. No modprobe process (SESSIONS-AND-VOLUMES.md §4).
/// </summary>
internal static class TransportModule
{
    /// <summary>Loads the transport's module unless <c>/sys/class/iscsi_transport/NAME</c> exists.</summary>
    /// <returns>True when modules were loaded.</returns>
    /// <exception cref="UnauthorizedAccessException">Not allowed to load modules (CAP_SYS_MODULE).</exception>
    /// <exception cref="IscsiException">No module for the transport, a compressed module this kernel cannot load, or the load failed.</exception>
    internal static bool EnsureLoaded(string transport, string sysfsRoot, string? modulesDirectory, ILogger logger)
    {
        if (Directory.Exists(Path.Combine(sysfsRoot, "class", "iscsi_transport", transport)))
        {
            return false;
        }

        string module = transport switch { "tcp" => "iscsi_tcp", "iser" => "ib_iser", _ => transport };
        modulesDirectory ??= Path.Combine("/lib/modules", File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
        string depFile = Path.Combine(modulesDirectory, "modules.dep");
        IReadOnlyList<string> chain = Resolve(depFile, module);
        foreach (string relative in chain)
        {
            string name = ModuleName(relative);
            if (Directory.Exists(Path.Combine(sysfsRoot, "module", name)))
            {
                continue;
            }

            Load(Path.Combine(modulesDirectory, relative), name, logger);
        }

        if (!Directory.Exists(Path.Combine(sysfsRoot, "class", "iscsi_transport", transport)))
        {
            throw new IscsiException($"iSCSI driver not found: {module} loaded but /sys/class/iscsi_transport/{transport} did not appear.");
        }

        return true;
    }

    /// <summary>The module files to load for <paramref name="module"/>, dependencies first (modules.dep lists them last-needed first).</summary>
    internal static IReadOnlyList<string> Resolve(string depFile, string module)
    {
        string text;
        try
        {
            text = File.ReadAllText(depFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IscsiException($"iSCSI driver not found: cannot read {depFile} to load {module} ({e.Message}).", e);
        }

        string wanted = module.Replace('-', '_');
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0 || ModuleName(line[..colon]) != wanted)
            {
                continue;
            }

            string[] deps = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var chain = new List<string>(deps.Length + 1);
            for (int i = deps.Length - 1; i >= 0; i--)
            {
                chain.Add(deps[i]);
            }

            chain.Add(line[..colon]);
            return chain;
        }

        throw new IscsiException($"iSCSI driver not found: {module} is not in {depFile} (built in, or not installed for this kernel).");
    }

    /// <summary><c>kernel/drivers/scsi/iscsi_tcp.ko.xz</c> → <c>iscsi_tcp</c> (dashes become underscores, as in /sys/module).</summary>
    internal static string ModuleName(string path)
    {
        string file = Path.GetFileName(path);
        int ko = file.IndexOf(".ko", StringComparison.Ordinal);
        return (ko > 0 ? file[..ko] : file).Replace('-', '_');
    }

    private static void Load(string path, string name, ILogger logger)
    {
        bool compressed = !path.EndsWith(".ko", StringComparison.Ordinal);
        using FileStream file = File.OpenRead(path);
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        int rc = Interop.Shim.FinitModule(fd, "", compressed ? Interop.Shim.ModuleInitCompressedFile : 0);
        if (rc == 0 || rc == -Errno.EEXIST)
        {
            LoginLog.ModuleLoaded(logger, name, path);
            return;
        }

        int errno = -rc;
        if (errno is Errno.EPERM or Errno.EACCES)
        {
            throw new UnauthorizedAccessException($"Loading kernel module {name} ({path}) was refused ({Errno.Name(errno)}): CAP_SYS_MODULE (root) is needed, or module loading is disabled (kernel.modules_disabled).");
        }

        if (compressed && errno is Errno.EINVAL or Errno.ENOSYS)
        {
            throw new IscsiException($"Kernel module {path} is compressed and this kernel cannot decompress it (MODULE_INIT_COMPRESSED_FILE needs Linux 6.4 with module decompression); load it with modprobe first.");
        }

        throw new IscsiException($"finit_module of {path} failed: {Errno.Name(errno)}.");
    }
}
