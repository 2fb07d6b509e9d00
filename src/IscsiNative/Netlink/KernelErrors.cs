namespace IscsiNative.Netlink;

/// <summary>Turns an errno from the kernel into the exception the library raises for it.</summary>
internal static class KernelErrors
{
    internal const string PrivilegeHint =
        "the iSCSI netlink interface needs root: CAP_SYS_ADMIN in the initial user namespace for requests and the transport handle, CAP_NET_ADMIN to join the event group";

    /// <summary>EPERM/EACCES → <see cref="UnauthorizedAccessException"/> with a hint; anything else → <see cref="IscsiKernelException"/>.</summary>
    internal static Exception Create(string operation, int errno, uint? sid = null, uint? cid = null, uint? hostNumber = null, string? detail = null, Exception? inner = null, TimeSpan? elapsed = null)
    {
        var kernel = new IscsiKernelException(operation, errno, (int?)sid, (int?)cid, (int?)hostNumber, detail, inner);
        if (errno == Errno.ETIMEDOUT)
        {
            return new IscsiTimeoutException(operation, elapsed ?? TimeSpan.Zero, kernel.Message, kernel);
        }

        if (errno is Errno.EPERM or Errno.EACCES)
        {
            return new UnauthorizedAccessException(kernel.Message + " (" + PrivilegeHint + ")", kernel);
        }

        return kernel;
    }
}
