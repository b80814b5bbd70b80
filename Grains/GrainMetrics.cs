using System.Diagnostics.Metrics;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains;

/// <summary>What the grains report (docs/architecture.md, "Observability"): workflow moves by the state entered, and how far the reducers trail the stamps.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "OmniBridge.Grains";
    readonly Counter<long> moves;
    readonly Counter<long> stampsCreated;
    readonly Histogram<double> reducerLag;
    readonly Counter<long> templateLookups;
    readonly Histogram<double> generations;
    readonly Histogram<double> runs;
    readonly Histogram<double> runStages;
    readonly Histogram<double> runSteps;
    readonly Histogram<double> signalPropagation;
    readonly Histogram<double> routing;
    long templateHits, templateMisses, created;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        stampsCreated = meter.CreateCounter<long>("omnibridge.stamps.created", description: "Stamp records created, by namespace, whatever the door");
        moves = meter.CreateCounter<long>("omnibridge.workflows.transitions", description: "Workflow state transitions saved, by the state entered");
        reducerLag = meter.CreateHistogram<double>("omnibridge.reducer.lag", unit: "s",
            description: "From a stamp's creation to its fold into its namespace's aggregates");
        templateLookups = meter.CreateCounter<long>("omnibridge.codegen.template_cache.lookups", description: "Compiled-template lookups, by result (hit or miss)");
        meter.CreateObservableGauge("omnibridge.codegen.template_cache.hit_ratio", () =>
        {
            var (hits, misses) = (Interlocked.Read(ref templateHits), Interlocked.Read(ref templateMisses));
            return hits + misses == 0 ? 0 : (double)hits / (hits + misses);
        }, description: "Share of template lookups served by the compiled-template cache");
        generations = meter.CreateHistogram<double>("omnibridge.codegen.generation.duration", unit: "ms",
            description: "Node package generation time, by strategy used and outcome");
        runs = meter.CreateHistogram<double>("omnibridge.codegen.run.duration", unit: "ms", description: "Generation run wall time, by final status");
        runStages = meter.CreateHistogram<double>("omnibridge.codegen.run.stage.duration", unit: "ms", description: "A run's stage, from its first step's start to its last step's end, by stage");
        runSteps = meter.CreateHistogram<double>("omnibridge.codegen.run.step.duration", unit: "ms", description: "One step of one contract in a run, by stage and outcome");
        signalPropagation = meter.CreateHistogram<double>("omnibridge.codegen.run.signal.propagation", unit: "ms",
            description: "From a run signal's creation to its publication on the run's stream (saved and logged first), by signal type");
        routing = meter.CreateHistogram<double>("omnibridge.codegen.run.routing.duration", unit: "ms", description: "Routing decisions and their time, by deciding strategy and decision");
    }

    public void RunFinished(RunStatus status, double milliseconds) => runs.Record(milliseconds, new KeyValuePair<string, object?>("status", status.Wire()));

    public void RunStage(string stage, double milliseconds) => runStages.Record(milliseconds, new KeyValuePair<string, object?>("stage", stage));

    public void RunStep(string stage, bool succeeded, double milliseconds) => runSteps.Record(milliseconds,
        new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void SignalPropagated(string signalType, double milliseconds) => signalPropagation.Record(Math.Max(0, milliseconds), new KeyValuePair<string, object?>("signal_type", signalType));

    public void Routed(string strategy, string decision, double milliseconds) => routing.Record(milliseconds,
        new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("decision", decision));

    public void TemplateCache(bool hit)
    {
        Interlocked.Increment(ref hit ? ref templateHits : ref templateMisses);
        templateLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
    }

    public void Generated(string strategy, bool passed, double milliseconds) => generations.Record(milliseconds,
        new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("validation", passed ? "passed" : "failed"));

    /// <summary>Records this silo has created since it started.</summary>
    public long StampsCreatedTotal => Interlocked.Read(ref created);

    public void StampsCreated(string @namespace, int count)
    {
        Interlocked.Add(ref created, count);
        stampsCreated.Add(count, new KeyValuePair<string, object?>("namespace", @namespace));
    }

    public void Moved(WorkflowPhase to) => moves.Add(1, new KeyValuePair<string, object?>("state", to.Wire()));

    public void Folded(TimeSpan lag) => reducerLag.Record(Math.Max(0, lag.TotalSeconds));
}
