namespace IscsiNative.Initiator;

/// <summary>
/// The entry point of the library: enumerates, discovers, logs in to and out of iSCSI targets through the
/// kernel's own interfaces. Each capability lives in its own partial file (Sessions, Discovery, Login, ...).
/// </summary>
/// <remarks>
/// Thread-safe unless a member says otherwise. Dispose it to release pooled buffers and sockets; prefer
/// <see cref="DisposeAsync"/> in async code: disposal stops recovery loops and the netlink reader, which
/// <see cref="Dispose"/> waits for by blocking (at most 10 s for the recovery loops plus 10 s for the reader thread;
/// normally both end at once).
/// </remarks>
public sealed partial class IscsiInitiator : IDisposable, IAsyncDisposable
{
    private bool _disposed;

    /// <summary>Creates an initiator with the given options, or the defaults.</summary>
    /// <param name="options">Settings; <see langword="null"/> for defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="IscsiInitiatorOptions.MaxConcurrentReconnectsPerPortal"/> is less than 1.</exception>
    public IscsiInitiator(IscsiInitiatorOptions? options = null)
    {
        Options = options ?? new IscsiInitiatorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxConcurrentReconnectsPerPortal, 1, nameof(IscsiInitiatorOptions.MaxConcurrentReconnectsPerPortal));
    }

    /// <summary>The settings this initiator was created with.</summary>
    public IscsiInitiatorOptions Options { get; }

    /// <summary>
    /// Releases pooled buffers and kernel sockets held by this instance and stops the recovery of its sessions. The
    /// sessions stay in the kernel (as when iscsid exits): a later connection error is no longer recovered.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeParts();
        DisposeKernel();
        DisposeOwnership();
    }

    /// <summary>
    /// As <see cref="Dispose"/>, awaiting the end of the recovery loops and of the netlink reader (bounded the same
    /// way) instead of blocking the calling thread.
    /// </summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeParts();
        await DisposeKernelAsync().ConfigureAwait(false);
        DisposeOwnership();
    }

    /// <summary>Each partial file that owns resources releases them here.</summary>
    partial void DisposeParts();

    /// <summary>The kernel (login) part releases its netlink socket here.</summary>
    partial void DisposeKernel();

    /// <summary>The adoption part releases the host ownership lock here, after the recovery loops stopped.</summary>
    partial void DisposeOwnership();

    /// <summary>Throws when disposed (also used by IscsiNative.Nodes, through InternalsVisibleTo, before it starts node logins).</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
