using System.Globalization;

namespace IscsiNative.Netlink;

/// <summary>Reads the handle of a registered iSCSI transport from sysfs (<c>/sys/class/iscsi_transport/NAME/handle</c>).</summary>
internal static class IscsiTransportHandle
{
    /// <summary>Reads and parses the handle (a decimal kernel address, <c>"%llu\n"</c>).</summary>
    /// <param name="sysfsRoot">Usually <c>/sys</c>.</param>
    /// <param name="transport">The transport name, <c>tcp</c> for iscsi_tcp.</param>
    /// <exception cref="UnauthorizedAccessException">EACCES: reading the handle needs CAP_SYS_ADMIN.</exception>
    /// <exception cref="IscsiKernelException">The transport is not registered (module not loaded), the file cannot be read or is malformed.</exception>
    internal static ulong Read(string sysfsRoot = "/sys", string transport = "tcp")
    {
        string path = Path.Combine(sysfsRoot, "class", "iscsi_transport", transport, "handle");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"reading {path} failed with EACCES ({KernelErrors.PrivilegeHint})", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IscsiKernelException(
                "read transport handle", Errno.ENOENT, detail: $"{path} does not exist: the iscsi_{transport} transport is not loaded (modprobe iscsi_{transport})", innerException: e);
        }
        catch (IOException e)
        {
            // Any other read failure (ELOOP, EIO, ...): .NET keeps the errno in HResult on Unix.
            int errno = e.HResult > 0 ? e.HResult : Errno.EIO;
            throw new IscsiKernelException("read transport handle", errno, detail: $"{path} could not be read: {e.Message}", innerException: e);
        }

        if (!ulong.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong handle))
        {
            throw new IscsiKernelException("read transport handle", Errno.EBADMSG, detail: $"{path} does not hold a decimal handle");
        }

        return handle;
    }
}
