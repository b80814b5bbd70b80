using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// Picks the template variant by scoring the requirements: each specialised variant scores one
/// point per cue found in what the requirements say (two for its node type's natural variant); the
/// best specialised score of at least two wins, else production when production cues appear, else
/// minimal for a one- or two-operation node with no features, else standard.
/// </summary>
public static class VariantSelection
{
    public const string Minimal = "minimal";
    public const string Standard = "standard";
    public const string Production = "production";
    public const string DatabaseHeavy = "database_heavy";
    public const string ApiHeavy = "api_heavy";
    public const string KafkaHeavy = "kafka_heavy";
    public const string MlInference = "ml_inference";
    public const string Analytics = "analytics";
    public const string Workflow = "workflow";

    public static readonly IReadOnlyList<string> All = [Minimal, Standard, Production, DatabaseHeavy, ApiHeavy, KafkaHeavy, MlInference, Analytics, Workflow];

    static readonly (string Variant, string[] Cues)[] Specialised =
    [
        (DatabaseHeavy, ["database", "postgres", "sql", "crud", "persist", "storage", "table", "transaction", "query", "asyncpg", "sqlalchemy"]),
        (ApiHeavy, ["api", "http", "rest", "endpoint", "webhook", "graphql", "client", "request", "httpx", "aiohttp"]),
        (KafkaHeavy, ["kafka", "event", "stream", "publish", "subscribe", "topic", "message", "queue", "consumer", "producer"]),
        (MlInference, ["ml", "model", "inference", "predict", "classif", "embedding", "neural", "llm", "torch", "onnx"]),
        (Analytics, ["analytic", "aggregat", "report", "statistic", "metric", "dashboard", "window", "trend", "summar"]),
        (Workflow, ["workflow", "orchestrat", "pipeline", "step", "saga", "coordinat", "sequence", "stage"]),
    ];

    static readonly string[] ProductionCues = ["production", "high availability", "sla", "mission critical", "mission-critical", "scal", "enterprise"];

    /// <summary>The chosen variant and every variant's score (for the pattern event).</summary>
    public static (string Variant, IReadOnlyDictionary<string, int> Scores) Choose(NodeRequirements requirements)
    {
        var text = MixinRules.Text(requirements);
        var words = Words(text);
        var scores = new Dictionary<string, int>();
        foreach (var (variant, cues) in Specialised)
            scores[variant] = cues.Count(cue => words.Any(w => w.StartsWith(cue, StringComparison.Ordinal)));
        scores[Workflow] += requirements.NodeType == "orchestrator" ? 2 : 0;
        scores[Analytics] += requirements.NodeType == "reducer" ? 1 : 0;
        scores[Production] = ProductionCues.Count(cue => text.Contains(cue, StringComparison.Ordinal)) + (requirements.Features.Count >= 5 ? 1 : 0);

        var best = Specialised.Select(s => s.Variant).OrderByDescending(v => scores[v]).First();
        var chosen = scores[best] >= 2 ? best
            : scores[Production] >= 1 ? Production
            : requirements.Operations.Count <= 2 && requirements.Features.Count == 0 ? Minimal
            : Standard;
        return (chosen, scores);
    }

    static string[] Words(string text) => text.Split([' ', ',', '.', ';', ':', '-', '_', '/', '(', ')', '\n', '\t', '"', '\''], StringSplitOptions.RemoveEmptyEntries);
}
