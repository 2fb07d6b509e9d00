using System.Net.Sockets;
using IscsiNative.Nodes;

namespace IscsiNative.Tests.Nodes;

/// <summary>iscsid's initial-login retry (usr/initiator.c iscsi_retry_initial_login, iscsi_login_is_fatal_err).</summary>
public sealed class InitialLoginRetryTests
{
    private static readonly TimeSpan Tiny = TimeSpan.FromMilliseconds(1);

    public static TheoryData<string, bool> Errors() => new()
    {
        { "timeout", true },
        { "connect", true },
        { "target-error", true },
        { "auth", false },
        { "initiator-error", false },
        { "protocol", false },
        { "kernel", false },
        { "connection-lost-in-login", true },
        { "other", false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Retryable_failures_are_tried_again_and_final_ones_are_not(string kind, bool retried)
    {
        int attempts = 0;
        Task<int> Attempt(CancellationToken ct)
        {
            attempts++;
            return attempts == 1 ? throw Make(kind) : Task.FromResult(attempts);
        }

        if (retried)
        {
            Assert.Equal(2, await InitialLoginRetry.RunAsync(Attempt, TimeSpan.FromMinutes(5), Tiny, Tiny, TestContext.Current.CancellationToken));
        }
        else
        {
            await Assert.ThrowsAnyAsync<Exception>(() => InitialLoginRetry.RunAsync(Attempt, TimeSpan.FromMinutes(5), Tiny, Tiny, TestContext.Current.CancellationToken));
            Assert.Equal(1, attempts);
        }
    }

    [Fact]
    public async Task Zero_retries_give_up_after_the_first_failure_with_its_error()
    {
        int attempts = 0;
        IscsiException e = await Assert.ThrowsAsync<IscsiTimeoutException>(() => InitialLoginRetry.RunAsync<int>(
            _ => { attempts++; throw Make("timeout"); }, TimeSpan.Zero, Tiny, Tiny, TestContext.Current.CancellationToken));
        Assert.Equal(1, attempts);
        Assert.Contains("login", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spent_budget_ends_the_retries_with_the_last_error()
    {
        int attempts = 0;
        await Assert.ThrowsAsync<IscsiLoginException>(() => InitialLoginRetry.RunAsync<int>(
            _ => { attempts++; throw new IscsiLoginException(3, 1, null); }, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken));
        Assert.InRange(attempts, 2, 12);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_between_attempts()
    {
        using var cts = new CancellationTokenSource();
        int attempts = 0;
        Task<int> run = InitialLoginRetry.RunAsync<int>(
            _ => { attempts++; throw Make("connect"); }, TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1), cts.Token);
        Assert.False(run.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, attempts);
    }

    private static Exception Make(string kind) => kind switch
    {
        "timeout" => new IscsiTimeoutException("login", TimeSpan.FromSeconds(1), "login to iqn.x:y"),
        "connect" => new IscsiException("Could not connect to 127.0.0.1:3260: Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        "target-error" => new IscsiLoginException(3, 1, null),
        "auth" => new IscsiAuthenticationException(2, 1),
        "initiator-error" => new IscsiLoginException(2, 3, null),
        "protocol" => new IscsiProtocolException("bad key"),
        "kernel" => new IscsiKernelException("CREATE_SESSION", 12),
        "connection-lost-in-login" => new IscsiKernelException("ISCSI_KEVENT_CONN_ERROR", 107, 1, 0, detail: "connection error XmitFailed (1017)"),
        _ => new InvalidOperationException("other"),
    };
}
