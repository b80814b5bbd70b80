using System.Diagnostics.Metrics;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains;

/// <summary>What the grains report (SPEC §10): workflow moves by the state entered, and how far the reducers trail the stamps.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "OmniBridge.Grains";
    readonly Counter<long> moves;
    readonly Histogram<double> reducerLag;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        moves = meter.CreateCounter<long>("omnibridge.workflows.transitions", description: "Workflow state transitions saved, by the state entered");
        reducerLag = meter.CreateHistogram<double>("omnibridge.reducer.lag", unit: "s",
            description: "From a stamp's creation to its fold into its namespace's aggregates");
    }

    public void Moved(WorkflowPhase to) => moves.Add(1, new KeyValuePair<string, object?>("state", to.ToString().ToLowerInvariant()));

    public void Folded(TimeSpan lag) => reducerLag.Record(Math.Max(0, lag.TotalSeconds));
}
