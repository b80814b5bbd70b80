using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The mixins a node can carry, when each is worth having, and how they combine: prerequisites
/// (a circuit breaker counts retried failures, so it needs Retry; Security checks validated input,
/// so it needs Validation) and conflicts (nothing in a pure computation is worth retrying; retrying
/// an effect promised at most once could repeat it).
/// </summary>
public static class MixinRules
{
    public const string Retry = "Retry";
    public const string CircuitBreaker = "CircuitBreaker";
    public const string Validation = "Validation";
    public const string Security = "Security";
    public const string HealthCheck = "HealthCheck";
    public const string Metrics = "Metrics";

    /// <summary>Every mixin, in the order they are applied.</summary>
    public static readonly IReadOnlyList<string> All = [Validation, Security, Retry, CircuitBreaker, HealthCheck, Metrics];

    static readonly Dictionary<string, string[]> Cues = new()
    {
        [Retry] = ["retry", "retries", "transient", "resilien", "network", "external", "database", "http", "api", "kafka", "unreliable"],
        [CircuitBreaker] = ["circuit", "breaker", "fault toleran", "fault-toleran", "downstream", "third-party", "third party", "cascad"],
        [Validation] = ["validat", "input", "schema", "sanitiz", "verify", "constraint"],
        [Security] = ["auth", "secur", "encrypt", "permission", "token", "pii", "secret", "credential", "tenant"],
        [HealthCheck] = ["health", "probe", "liveness", "readiness", "availability", "uptime"],
        [Metrics] = ["metric", "monitor", "observab", "telemetry", "latency", "throughput", "performance", "sla"],
    };

    static readonly Dictionary<string, string> Prerequisites = new()
    {
        [CircuitBreaker] = Retry,
        [Security] = Validation,
    };

    static readonly string[] AtMostOnceCues = ["at-most-once", "at most once", "no retries", "no retry", "never retry"];

    /// <summary>The mixins the requirements call for, with their prerequisites and without conflicts.</summary>
    public static IReadOnlyList<string> Recommend(NodeRequirements requirements)
    {
        var text = Text(requirements);
        var chosen = new HashSet<string>(All.Where(m => Cues[m].Any(cue => text.Contains(cue, StringComparison.Ordinal))));
        // What each kind of node needs whatever its description says.
        if (requirements.NodeType is "effect" or "orchestrator") chosen.UnionWith([Retry, HealthCheck]);
        if (requirements.NodeType is "compute") chosen.Add(Validation);
        foreach (var (mixin, needs) in Prerequisites) if (chosen.Contains(mixin)) chosen.Add(needs);
        chosen.RemoveWhere(m => ConflictOf(m, requirements.NodeType, text) is not null);
        // A prerequisite removed for a conflict takes its dependents with it.
        chosen.RemoveWhere(m => Prerequisites.TryGetValue(m, out var needs) && !chosen.Contains(needs));
        return [.. All.Where(chosen.Contains)];
    }

    /// <summary>What is wrong with mixins asked for by name: unknown names, duplicates, missing prerequisites, conflicts.</summary>
    public static IEnumerable<RequirementProblem> Check(IReadOnlyList<string> mixins, NodeRequirements requirements)
    {
        var text = Text(requirements);
        var seen = new HashSet<string>();
        for (var i = 0; i < mixins.Count; i++)
        {
            var field = $"requirements.mixins[{i}]";
            var mixin = mixins[i];
            if (!All.Contains(mixin)) yield return new(field, $"unknown mixin '{Clip(mixin)}'; expected one of {string.Join(", ", All)}");
            else if (!seen.Add(mixin)) yield return new(field, $"mixin {mixin} is listed twice");
            else if (ConflictOf(mixin, requirements.NodeType, text) is { } conflict) yield return new(field, conflict);
            else if (Prerequisites.TryGetValue(mixin, out var needs) && !mixins.Contains(needs))
                yield return new(field, $"mixin {mixin} needs {needs}; add {needs} to the mixins");
        }
    }

    /// <param name="text">What the requirements say (<see cref="Text"/>).</param>
    static string? ConflictOf(string mixin, string nodeType, string text)
    {
        if (mixin is Retry or CircuitBreaker && nodeType == "compute")
            return $"mixin {mixin} conflicts with a compute node: a pure computation has nothing transient to retry or break";
        if (mixin is Retry or CircuitBreaker && AtMostOnceCues.Any(text.Contains))
            return $"mixin {mixin} conflicts with at-most-once delivery in the requirements: a retry could repeat the effect";
        return null;
    }

    /// <summary>What <paramref name="mixin"/> gives a node, in a few words (the llm strategy's prompt).</summary>
    public static string Purpose(string mixin) => mixin switch
    {
        Retry => "retry transient failures with exponential back-off",
        CircuitBreaker => "stop calling a failing dependency for a while after repeated failures",
        Validation => "check the request's structure before dispatching it",
        Security => "refuse credential-like payload keys and oversized payloads",
        HealthCheck => "a detailed health_check with one entry per internal check",
        Metrics => "per-operation counters and timings exposed by get_metrics",
        _ => mixin,
    };

    /// <summary>What the requirements say, lower case, for matching cues.</summary>
    public static string Text(NodeRequirements requirements) => string.Join(' ',
        new[] { requirements.BusinessDescription, requirements.Domain }
            .Concat(requirements.Features).Concat(requirements.Operations).Concat(requirements.Dependencies.Keys)).ToLowerInvariant();

    static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
