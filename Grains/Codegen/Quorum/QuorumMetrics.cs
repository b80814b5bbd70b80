using System.Diagnostics.Metrics;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// What the AI quorum reports (docs/intelligence.md, "Metrics"), on the grains' meter: each model's answer time by outcome,
/// each verdict's time and consensus, verdicts by status. Prometheus names: omnibridge_codegen_quorum_model_duration_seconds,
/// omnibridge_codegen_quorum_duration_seconds, omnibridge_codegen_quorum_consensus, omnibridge_codegen_quorum_verdicts_total.
/// </summary>
public sealed class QuorumMetrics
{
    readonly Histogram<double> models;
    readonly Histogram<double> verdictTime;
    readonly Histogram<double> consensus;
    readonly Counter<long> verdicts;

    public QuorumMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GrainMetrics.MeterName);
        models = meter.CreateHistogram<double>("omnibridge.codegen.quorum.model.duration", unit: "s",
            description: "One quorum model's answer time, by model id and outcome (voted, timeout, deadline, failed, unreadable)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        verdictTime = meter.CreateHistogram<double>("omnibridge.codegen.quorum.duration", unit: "s",
            description: "From asking the quorum to its verdict, by status", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        consensus = meter.CreateHistogram<double>("omnibridge.codegen.quorum.consensus", description: "The consensus of each verdict (0 to 1), by status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });
        verdicts = meter.CreateCounter<long>("omnibridge.codegen.quorum.verdicts", description: "Quorum verdicts, by status (passed, failed, quorum_unavailable)");
    }

    static readonly IReadOnlyList<double> Buckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

    public void ModelAnswered(string modelId, string outcome, double milliseconds) => models.Record(milliseconds / 1000,
        new KeyValuePair<string, object?>("model_id", modelId), new KeyValuePair<string, object?>("outcome", outcome));

    public void Decided(QuorumResult result)
    {
        var status = new KeyValuePair<string, object?>("status", result.Status);
        verdictTime.Record(result.DurationMs / 1000, status);
        consensus.Record(result.Consensus, status);
        verdicts.Add(1, status);
    }
}
