using Npgsql;
using OmniBridge.Api.Health;

namespace OmniBridge.Silo.Postgres;

/// <summary>PostgreSQL is healthy when a trivial query answers within 2 seconds.</summary>
public sealed class PostgresProbe(NpgsqlDataSource database) : IDependencyProbe
{
    public string Component => "postgres";

    public Task<ProbeResult> CheckAsync(CancellationToken cancellationToken) =>
        ProbeTiming.MeasureAsync(deadline => StatementCancellation.RunAsync<string?>(async statement =>
            {
                await using var command = database.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(statement);
                return null;
            }, deadline),
            TimeSpan.FromSeconds(2),
            PostgresFailure.IsOutage,
            cancellationToken);
}
