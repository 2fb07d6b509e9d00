using IscsiNative.Protocol;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>SendTargets discovery over a managed TCP session (no kernel involved, like iscsiadm -m discovery -t st).</summary>
public sealed partial class IscsiInitiator
{
    /// <summary>
    /// Logs in to <paramref name="portal"/> as a discovery session (with CHAP if configured), sends
    /// <c>SendTargets=All</c>, collects the possibly continued response, logs out and returns the targets.
    /// </summary>
    /// <param name="portal">The discovery portal.</param>
    /// <param name="options">Initiator name, credentials and timeouts; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels every wait.</param>
    /// <returns>The targets in the order the portal listed them, each with its portals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="portal"/> is null.</exception>
    /// <exception cref="ArgumentException">Invalid options (e.g. no supported CHAP algorithm).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout in <paramref name="options"/> is not positive.</exception>
    /// <exception cref="IscsiAuthenticationException">CHAP failed (status 0x0201/0x0202, or mutual verification).</exception>
    /// <exception cref="IscsiLoginException">The target refused the login (redirect, not found, target error).</exception>
    /// <exception cref="IscsiProtocolException">The target broke the protocol or exceeded a limit.</exception>
    /// <exception cref="IscsiTimeoutException">The connect, the login or a response exceeded its timeout.</exception>
    /// <exception cref="IscsiException">Connection failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public async Task<IReadOnlyList<DiscoveredTarget>> DiscoverAsync(
        IscsiPortal portal, DiscoveryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ThrowIfDisposed();
        options ??= new DiscoveryOptions();
        ValidateTimeout(options.ConnectTimeout, nameof(options.ConnectTimeout));
        ValidateTimeout(options.LoginTimeout, nameof(options.LoginTimeout));
        ValidateTimeout(options.ResponseTimeout, nameof(options.ResponseTimeout));
        ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
        var settings = new LoginSettings
        {
            InitiatorName = options.InitiatorName,
            InitiatorAlias = options.InitiatorAlias,
            SessionType = IscsiSessionType.Discovery,
            Isid = LoginSettings.IsidFor((uint)options.IsidQualifier),
            Credentials = options.Credentials,
            ChapAlgorithms = options.ChapAlgorithms,
            MaxRecvDataSegmentLength = options.MaxRecvDataSegmentLength,
        };
        var limits = TextLimits.Default with
        {
            MaxTotalLength = Math.Max(1024, options.MaxResponseLength),
            MaxPduCount = Math.Max(16, (options.MaxResponseLength / 512) + 1),
        };

        string portalText = portal.ToString();
        DiscoveryLog.LoggingIn(logger, portalText, options.Credentials is not null);
        IscsiLoginSession session = await IscsiLoginSession.ConnectAsync(
            portal.Address, portal.Port, settings, options.ConnectTimeout, options.LoginTimeout, options.ResponseTimeout, cancellationToken)
            .ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            DiscoveryLog.LoggedIn(logger, portalText, session.Parameters.Tsih, session.Parameters.MaxXmitDataSegmentLength);
            byte[] text = await session.SendTextAsync("SendTargets=All\0"u8.ToArray(), limits, cancellationToken).ConfigureAwait(false);
            List<SendTargetsEntry> entries = SendTargetsParser.Parse(text, portal.Address, portal.Port, limits);
            try
            {
                await session.LogoutAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IscsiException e)
            {
                DiscoveryLog.LogoutFailed(logger, portalText, e);
            }

            IReadOnlyList<DiscoveredTarget> targets = Group(entries);
            DiscoveryLog.Discovered(logger, portalText, targets.Count, entries.Count);
            return targets;
        }
    }

    private static void ValidateTimeout(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, timeout, "Timeouts must be positive and at most int.MaxValue milliseconds.");
        }
    }

    private static List<DiscoveredTarget> Group(List<SendTargetsEntry> entries)
    {
        var order = new List<string>();
        var portals = new Dictionary<string, List<DiscoveredPortal>>(StringComparer.Ordinal);
        foreach (SendTargetsEntry e in entries)
        {
            if (!portals.TryGetValue(e.TargetName, out List<DiscoveredPortal>? list))
            {
                list = [];
                portals.Add(e.TargetName, list);
                order.Add(e.TargetName);
            }

            DiscoveredPortal portal;
            try
            {
                portal = new DiscoveredPortal(new IscsiPortal(e.Address, e.Port), e.PortalGroupTag);
            }
            catch (ArgumentException ex)
            {
                throw new IscsiProtocolException("SendTargets returned an invalid portal address", ex);
            }

            if (!list.Contains(portal))
            {
                list.Add(portal);
            }
        }

        return order.ConvertAll(name => new DiscoveredTarget(name, portals[name].AsReadOnly()));
    }
}
