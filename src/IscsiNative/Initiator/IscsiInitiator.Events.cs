using System.Runtime.CompilerServices;
using IscsiNative.Netlink;

namespace IscsiNative.Initiator;

/// <summary>Kernel iSCSI events and recovery steps as <see cref="IscsiSessionEvent"/>s.</summary>
public sealed partial class IscsiInitiator
{
    /// <summary>
    /// Streams session events of the whole system (creation, unbind, destruction, connection errors) and the recovery
    /// of this initiator's own sessions (<see cref="IscsiSessionEventKind.RecoveryStarted"/>, <see cref="IscsiSessionEventKind.Recovered"/>,
    /// <see cref="IscsiSessionEventKind.RecoveryFailed"/>, each after the <see cref="IscsiSessionEventKind.ConnectionError"/> that caused it)
    /// until <paramref name="cancellationToken"/> fires or the initiator is disposed. PDU traffic is not reported.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>Events in arrival order; a reader more than 1024 events behind loses the oldest.</returns>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="IscsiKernelException">The netlink socket could not be opened.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public async IAsyncEnumerable<IscsiSessionEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KernelRecovery recovery = Recovery;
        System.Threading.Channels.Channel<IscsiSessionEvent> channel = recovery.Subscribe();
        try
        {
            while (true)
            {
                IscsiSessionEvent e;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    if (!channel.Reader.TryRead(out e!))
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return e;
            }
        }
        finally
        {
            recovery.Unsubscribe(channel);
        }
    }

    internal static IscsiSessionEvent? ToPublic(IscsiKernelEvent e) => e switch
    {
        { Type: IscsiUeventType.KernelCreateSession, Sid: uint sid, HostNumber: uint host } => IscsiSessionEvent.Created((int)sid, (int)host),
        { Type: IscsiUeventType.KernelDestroySession, Sid: uint sid, HostNumber: uint host } => IscsiSessionEvent.Destroyed((int)sid, (int)host),
        { Type: IscsiUeventType.KernelUnbindSession, Sid: uint sid, HostNumber: uint host } => IscsiSessionEvent.Unbound((int)sid, (int)host),
        { Type: IscsiUeventType.KernelConnError, Sid: uint sid, Cid: uint cid, Error: IscsiConnectionError error } => IscsiSessionEvent.ConnectionError((int)sid, (int)cid, error),
        _ => null,
    };
}
