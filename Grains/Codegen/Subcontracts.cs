using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>The six subcontract kinds of an ONEX v2.0 contract, and which ones the requirements call for.</summary>
public static class Subcontracts
{
    public const string Database = "database";
    public const string Api = "api";
    public const string Event = "event";
    public const string Compute = "compute";
    public const string State = "state";
    public const string Workflow = "workflow";

    public static readonly IReadOnlyList<string> All = [Database, Api, Event, Compute, State, Workflow];

    static readonly Dictionary<string, string[]> Cues = new()
    {
        [Database] = ["database", "postgres", "sql", "crud", "persist", "storage", "table", "transaction"],
        [Api] = ["api", "http", "rest", "endpoint", "webhook", "graphql"],
        [Event] = ["kafka", "event", "stream", "publish", "subscribe", "topic", "message", "queue"],
        [Compute] = ["calculat", "transform", "comput", "inference", "predict", "score", "hash"],
        [State] = ["state", "aggregat", "cache", "session", "accumulat", "reduc"],
        [Workflow] = ["workflow", "pipeline", "saga", "orchestrat", "multi-step", "steps"],
    };

    public static IReadOnlyList<string> For(NodeRequirements requirements, string variant)
    {
        var text = MixinRules.Text(requirements);
        var kinds = new HashSet<string>(All.Where(kind => Cues[kind].Any(cue => text.Contains(cue, StringComparison.Ordinal))));
        if (requirements.NodeType == "compute" || variant is VariantSelection.MlInference or VariantSelection.Analytics) kinds.Add(Compute);
        if (requirements.NodeType == "reducer") kinds.Add(State);
        if (requirements.NodeType == "orchestrator" || variant == VariantSelection.Workflow) kinds.Add(Workflow);
        if (variant == VariantSelection.DatabaseHeavy) kinds.Add(Database);
        if (variant == VariantSelection.ApiHeavy) kinds.Add(Api);
        if (variant == VariantSelection.KafkaHeavy) kinds.Add(Event);
        return [.. All.Where(kinds.Contains)];
    }
}
