namespace IscsiNative.Protocol;

/// <summary>Runs a <see cref="LoginStateMachine"/> to completion over any <see cref="IIscsiPduTransport"/>.</summary>
internal static class LoginExchange
{
    /// <summary>Sends requests and feeds responses until full feature phase, all within <paramref name="timeout"/>.</summary>
    /// <param name="transport">Where the PDUs go.</param>
    /// <param name="machine">The login's state machine.</param>
    /// <param name="timeout">The whole exchange's deadline.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <param name="securityDone">
    /// Called once, on the exchange's thread, when the target has accepted the transit out of the security stage (CHAP
    /// done) and before the first request of the next stage is sent: the phase trace's hook between the two stages.
    /// </param>
    /// <exception cref="IscsiLoginException">The target refused the login (typed by status).</exception>
    /// <exception cref="IscsiProtocolException">The target broke the protocol.</exception>
    /// <exception cref="IscsiException">Transport failure or timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<NegotiatedParameters> RunAsync(
        IIscsiPduTransport transport, LoginStateMachine machine, TimeSpan timeout, CancellationToken cancellationToken, Action? securityDone = null)
    {
        byte[] buffer = new byte[LoginStateMachine.RequestBufferSize];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);

        // Where a timeout struck, for its message: the request's number, its stage, and whether it was still being sent.
        int requests = 0;
        bool sending = false;
        try
        {
            while (!machine.IsComplete)
            {
                int length = machine.WriteRequest(buffer);
                requests++;
                sending = true;
                await transport.SendAsync(buffer.AsMemory(0, length), cts.Token).ConfigureAwait(false);
                sending = false;
                PduBuffer response = await transport.ReceiveAsync(cts.Token).ConfigureAwait(false);
                LoginStage stage = machine.Stage;
                machine.ProcessResponse(response.Header.Span, response.Data.Span);
                if (stage == LoginStage.SecurityNegotiation && machine.Stage != LoginStage.SecurityNegotiation)
                {
                    securityDone?.Invoke();
                }
            }

            return machine.Result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ThrowHelper.Timeout("login", timeout, sending
                ? $"login request {requests} ({machine.Stage}) was not sent"
                : $"no response to login request {requests} ({machine.Stage})");
        }
    }
}
