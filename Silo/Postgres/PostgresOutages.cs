using OmniBridge.Api.Errors;

namespace OmniBridge.Silo.Postgres;

/// <summary>Tells the API that an exception (a grain-storage failure, say) means PostgreSQL is unreachable.</summary>
public sealed class PostgresOutages : IOutageClassifier
{
    public string? DependencyOf(Exception failure) => PostgresFailure.IsOutage(failure) ? "postgres" : null;
}
