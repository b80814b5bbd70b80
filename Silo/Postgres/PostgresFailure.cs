using Npgsql;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Turns "PostgreSQL cannot be reached, or does not answer in time" into
/// <see cref="DependencyUnavailableException"/> (a 503 with Retry-After) and lets every other error
/// through: a constraint violation is a bug, not an outage.
/// </summary>
public static class PostgresFailure
{
    /// <summary>How long a request waits for the database before it is told to retry: the 503 comes within 5 s (README, "Running on PostgreSQL").</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    public static async Task<T> Guard<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            // The answer does not wait for the statement's cancellation: a server that stopped answering
            // may not even take the cancel request (StatementCancellation says where that would block).
            return await StatementCancellation.RunAsync(operation, deadline.Token);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer();
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw new DependencyUnavailableException("postgres", "PostgreSQL is unavailable");
        }
    }

    /// <summary>
    /// Waits at most <see cref="Deadline"/> from now for a statement that another task runs on the
    /// caller's behalf (group commit, gathered reads): time spent queued behind statements that
    /// hang counts against the same deadline.
    /// </summary>
    public static async Task<T> AwaitAsync<T>(Task<T> answer, CancellationToken cancellationToken)
    {
        await AwaitAsync((Task)answer, cancellationToken);
        return await answer;
    }

    /// <inheritdoc cref="AwaitAsync{T}(Task{T}, CancellationToken)"/>
    public static async Task AwaitAsync(Task answer, CancellationToken cancellationToken)
    {
        try
        {
            await answer.WaitAsync(Deadline, cancellationToken);
        }
        catch (TimeoutException) when (!answer.IsCompleted)
        {
            // Left to end on its own: its failure, when it comes, is nobody's to see.
            _ = answer.ContinueWith(ended => _ = ended.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw NoAnswer();
        }
    }

    /// <summary>The 503 of a statement that outlived <see cref="Deadline"/>.</summary>
    public static DependencyUnavailableException NoAnswer() =>
        new("postgres", $"PostgreSQL did not answer within {Deadline.TotalSeconds:0} s");

    /// <summary>Connection failures, timeouts and server shutdowns; not errors in the statement itself.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        PostgresException server => server.IsTransient || server.SqlState.StartsWith("08", StringComparison.Ordinal) || server.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };
}
