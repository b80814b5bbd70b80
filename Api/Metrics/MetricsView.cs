namespace OmniBridge.Api.Metrics;

/// <summary>The JSON metrics of the API (docs/protocol.md, "The REST API", GET /metrics under the base path).</summary>
public sealed record class MetricsView
{
    public required Dictionary<string, OperationView> Operations { get; init; }
    public required HashingView Hashing { get; init; }
    public required DatabaseView Database { get; init; }
}

public sealed record class OperationView
{
    public required long Count { get; init; }
    public required long Errors { get; init; }
    public required LatencyView LatencyMs { get; init; }
}

public sealed record class LatencyView
{
    public double Min { get; init; }
    public double Avg { get; init; }
    public double Max { get; init; }
    public double P50 { get; init; }
    public double P95 { get; init; }
    public double P99 { get; init; }
}

/// <summary>Hashes timed, and how many took longer than the 2 ms budget (hashing time only).</summary>
public sealed record class HashingView
{
    public required long Hashes { get; init; }
    public required double BudgetMs { get; init; }
    public required long BudgetViolations { get; init; }
}

/// <summary>Stamp store activity: records created by this process's silo, and what this API's requests found.</summary>
public sealed record class DatabaseView
{
    /// <summary>Records the co-hosted silo created through any door (/stamp, /batch, workflows, grain clients); null in a standalone API.</summary>
    public required long? StampsCreated { get; init; }
    public required long StampsExisting { get; init; }
    public required long Lookups { get; init; }
    public required long LookupMisses { get; init; }
}
