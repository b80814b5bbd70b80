using System.Diagnostics;
using Npgsql;
using OmniBridge.Api.Health;

namespace OmniBridge.Silo.Postgres;

/// <summary>PostgreSQL is healthy when a trivial query answers within 2 seconds.</summary>
public sealed class PostgresProbe(NpgsqlDataSource database) : IDependencyProbe
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public string Component => "postgres";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(deadline.Token);
            return new ProbeResult(ProbeResult.Healthy, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (PostgresFailure.IsOutage(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeResult.Unhealthy, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                e is OperationCanceledException ? "no answer within 2 s" : "unreachable");
        }
    }
}
