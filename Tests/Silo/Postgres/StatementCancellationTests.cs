using OmniBridge.Silo.Postgres;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// A statement's cancellation must not hold the caller: Npgsql cancels inside the token's callback,
/// synchronously, and on a server that hangs that callback blocks. The statements here stand in for
/// Npgsql's: their token callback blocks until the test lets it go.
/// </summary>
public sealed class StatementCancellationTests
{
    [Fact]
    public async Task The_caller_is_answered_while_the_statement_is_still_being_cancelled_on_another_thread()
    {
        using var release = new ManualResetEventSlim();
        using var cancelling = new ManualResetEventSlim();
        bool? cancelledOnPoolThread = null;
        var statementEnded = new TaskCompletionSource();
        using var deadline = new CancellationTokenSource();

        // Like Npgsql: the token's callback sends the cancel request (here: blocks until released),
        // and the statement ends when its read fails, not by the token itself.
        var call = StatementCancellation.RunAsync<int>(async token =>
        {
            var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = token.Register(() =>
            {
                cancelledOnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
                cancelling.Set();
                release.Wait();
                read.TrySetCanceled(token);
            });
            try
            {
                return await read.Task;
            }
            finally
            {
                statementEnded.SetResult();
            }
        }, deadline.Token);

        // The deadline fires on a pool thread, as a timer's does.
        var fired = Task.Run(deadline.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(cancelling.Wait(TimeSpan.FromSeconds(30)), "the statement is cancelled");
        // The pool thread that fired the deadline is free again, while the cancellation still blocks elsewhere.
        await fired.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(statementEnded.Task.IsCompleted);
        Assert.False(cancelledOnPoolThread);

        release.Set();
        await statementEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_statement_that_answers_in_time_is_the_answer_and_is_not_cancelled()
    {
        using var deadline = new CancellationTokenSource();
        var seen = CancellationToken.None;

        var answer = await StatementCancellation.RunAsync(token =>
        {
            seen = token;
            return Task.FromResult(42);
        }, deadline.Token);

        await deadline.CancelAsync();
        Assert.Equal(42, answer);
        Assert.False(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task A_failing_statement_fails_the_caller_with_its_own_error()
    {
        using var deadline = new CancellationTokenSource();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StatementCancellation.RunAsync<int>(_ => Task.FromException<int>(new InvalidOperationException("constraint")), deadline.Token));
        Assert.Equal("constraint", failure.Message);
    }
}
