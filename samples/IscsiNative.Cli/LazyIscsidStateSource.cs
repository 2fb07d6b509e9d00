using IscsiNative.Iscsid;

namespace IscsiNative.Cli;

/// <summary>
/// Creates the iscsid state source on first use: only <c>-m session -P 1..3</c> asks iscsid anything, and creating
/// the client already initialises the socket layer (it probes the address families), which costs start time.
/// </summary>
internal sealed class LazyIscsidStateSource(Func<IIscsidStateSource> create) : IIscsidStateSource
{
    private IIscsidStateSource? _source;

    /// <inheritdoc/>
    public bool TryGetState(int sid, out int connectionState, out int sessionState) =>
        (_source ??= create()).TryGetState(sid, out connectionState, out sessionState);
}
