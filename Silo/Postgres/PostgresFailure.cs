using Npgsql;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Turns "PostgreSQL cannot be reached" into <see cref="DependencyUnavailableException"/> (a 503 with
/// Retry-After) and lets every other error through: a constraint violation is a bug, not an outage.
/// </summary>
public static class PostgresFailure
{
    public static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw new DependencyUnavailableException("postgres", "PostgreSQL is unavailable");
        }
    }

    /// <summary>Connection failures, timeouts and server shutdowns; not errors in the statement itself.</summary>
    public static bool IsOutage(Exception e) => e switch
    {
        PostgresException server => server.IsTransient || server.SqlState.StartsWith("08", StringComparison.Ordinal) || server.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException => true,
        _ => false,
    };
}
