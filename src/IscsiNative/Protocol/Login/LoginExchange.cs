namespace IscsiNative.Protocol;

/// <summary>Runs a <see cref="LoginStateMachine"/> to completion over any <see cref="IIscsiPduTransport"/>.</summary>
internal static class LoginExchange
{
    /// <summary>Sends requests and feeds responses until full feature phase, all within <paramref name="timeout"/>.</summary>
    /// <exception cref="IscsiLoginException">The target refused the login (typed by status).</exception>
    /// <exception cref="IscsiProtocolException">The target broke the protocol.</exception>
    /// <exception cref="IscsiException">Transport failure or timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<NegotiatedParameters> RunAsync(
        IIscsiPduTransport transport, LoginStateMachine machine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[LoginStateMachine.RequestBufferSize];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (!machine.IsComplete)
            {
                int length = machine.WriteRequest(buffer);
                await transport.SendAsync(buffer.AsMemory(0, length), cts.Token).ConfigureAwait(false);
                PduBuffer response = await transport.ReceiveAsync(cts.Token).ConfigureAwait(false);
                machine.ProcessResponse(response.Header.Span, response.Data.Span);
            }

            return machine.Result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ThrowHelper.Timeout("login", timeout);
        }
    }
}
