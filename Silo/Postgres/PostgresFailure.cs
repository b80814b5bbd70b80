using Npgsql;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Turns "PostgreSQL cannot be reached, or does not answer in time" into
/// <see cref="DependencyUnavailableException"/> (a 503 with Retry-After), runs again what the server
/// rolled back to break a deadlock, and lets every other error through: a constraint violation is a
/// bug, not an outage.
/// </summary>
public static class PostgresFailure
{
    /// <summary>How long a request waits for the database before it is told to retry: the 503 comes within 5 s (README, "Running on PostgreSQL").</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Runs of an operation the server rolled back as the victim of a deadlock or a serialisation
    /// failure: the transaction left nothing behind, so it is run again (within the same deadline).
    /// </summary>
    public const int Attempts = 3;

    /// <summary>
    /// Runs <paramref name="operation"/> (one transaction, or statements that each commit alone and may
    /// run twice) against <see cref="Deadline"/>; a deadlock or serialisation failure runs it again.
    /// </summary>
    public static async Task<T> Guard<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // The answer does not wait for the statement's cancellation: a server that stopped answering
                    // may not even take the cancel request (StatementCancellation says where that would block).
                    return await StatementCancellation.RunAsync(operation, deadline.Token);
                }
                catch (PostgresException e) when (RolledBack(e) && attempt < Attempts)
                {
                    // Apart, so that the transactions that met do not meet again at once.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), deadline.Token);
                }
            }
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw NoAnswer();
        }
        catch (PostgresException e) when (RolledBack(e))
        {
            throw new DependencyUnavailableException("postgres", $"PostgreSQL rolled the transaction back {Attempts} times ({e.MessageText})");
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw new DependencyUnavailableException("postgres", "PostgreSQL is unavailable");
        }
    }

    /// <summary>A transaction the server ended to let others go on: it may simply be run again.</summary>
    public static bool RolledBack(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

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
