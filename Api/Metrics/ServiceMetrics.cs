using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Metrics;

/// <summary>
/// What the API has done: per-operation counts and latencies (the JSON /metrics), and the
/// service's own OpenTelemetry instruments (Prometheus /metrics), all named <c>omnibridge_*</c>.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "OmniBridge";

    /// <summary>The hashing time a single hash should stay within (docs/protocol.md, "The REST API").</summary>
    public const double HashBudgetMs = 2.0;

    readonly ConcurrentDictionary<string, OperationStats> operations = new(StringComparer.Ordinal);
    readonly ISiloFigures? silo;
    readonly Counter<long> requests;
    readonly Histogram<double> hashDuration;
    readonly Histogram<double> requestDuration;
    long hashes, hashBudgetViolations, stampsExisting, lookups, lookupMisses;

    /// <param name="silo">The co-hosted silo's figures; absent in a standalone API.</param>
    public ServiceMetrics(IMeterFactory meters, ISiloFigures? silo = null)
    {
        this.silo = silo;
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("omnibridge.api.requests", description: "API requests by operation and status code");
        hashDuration = meter.CreateHistogram<double>("omnibridge.hash.duration", unit: "ms", description: "Time spent hashing one piece of content");
        requestDuration = meter.CreateHistogram<double>("omnibridge.api.request.duration", unit: "ms", description: "API request latency by operation");
    }

    public void Request(string operation, double elapsedMs, int statusCode)
    {
        operations.GetOrAdd(operation, static _ => new OperationStats()).Record(elapsedMs, statusCode >= 400);
        var tags = new TagList { { "operation", operation }, { "status_code", statusCode } };
        requests.Add(1, tags);
        requestDuration.Record(elapsedMs, new KeyValuePair<string, object?>("operation", operation));
    }

    public void Hashed(double hashTimeMs)
    {
        Interlocked.Increment(ref hashes);
        if (hashTimeMs > HashBudgetMs) Interlocked.Increment(ref hashBudgetViolations);
        hashDuration.Record(hashTimeMs);
    }

    /// <summary>A stamp answered through this API. Created records are counted by the silo that creates them (<see cref="ISiloFigures"/>).</summary>
    public void Stamped(StampOutcome outcome)
    {
        Hashed(outcome.HashTimeMs);
        if (!outcome.Created) Interlocked.Increment(ref stampsExisting);
    }

    public void LookedUp(bool found)
    {
        Interlocked.Increment(ref lookups);
        if (!found) Interlocked.Increment(ref lookupMisses);
    }

    /// <summary>The JSON body of GET /api/v1/metadata-stamping/metrics.</summary>
    public MetricsView Snapshot() => new()
    {
        Operations = operations.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value.Snapshot()),
        Hashing = new HashingView { Hashes = Interlocked.Read(ref hashes), BudgetMs = HashBudgetMs, BudgetViolations = Interlocked.Read(ref hashBudgetViolations) },
        Database = new DatabaseView
        {
            StampsCreated = silo?.StampsCreated,
            StampsExisting = Interlocked.Read(ref stampsExisting),
            Lookups = Interlocked.Read(ref lookups),
            LookupMisses = Interlocked.Read(ref lookupMisses),
        },
    };
}
