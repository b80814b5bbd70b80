using System.Globalization;
using System.Text.Json;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>The moves a router may decide for a contract after one of its steps.</summary>
public static class RouteDecisions
{
    public const string Continue = "continue";
    public const string Retry = "retry";
    public const string Skip = "skip";
    public const string Branch = "branch";
    public const string Error = "error";
    public const string End = "end";
    public static readonly IReadOnlyList<string> All = [Continue, Retry, Skip, Branch, Error, End];
}

/// <summary>The four routing strategies.</summary>
public static class RouteStrategies
{
    public const string Conditional = "conditional";
    public const string StateAnalysis = "state_analysis";
    public const string Priority = "priority";
    public const string Parallel = "parallel";

    /// <summary>The merge's order: the first strategy that has something to say decides.</summary>
    public static readonly IReadOnlyList<string> Precedence = [Conditional, StateAnalysis, Priority, Parallel];
}

/// <summary>What the router sees after a step: the step's outcome and the contract's standing in the run.</summary>
public sealed record class RouteState
{
    public required string Contract { get; init; }
    public required string Stage { get; init; }
    public string? NextStage { get; init; }
    public required bool Succeeded { get; init; }
    public string? ErrorCode { get; init; }
    public string? Error { get; init; }
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; } = 3;
    public int Priority { get; init; } = 50;
    public double? QualityScore { get; init; }
    public string ValidationLevel { get; init; } = ValidationLevels.Standard;
    public string Strategy { get; init; } = CodegenStrategies.Template;
    /// <summary>Whether the language model the strategy needs was found available (null: not needed).</summary>
    public bool? LanguageModelAvailable { get; init; }
    public string NodeType { get; init; } = "";
    public int Operations { get; init; }
    /// <summary>Files the step was expected to make, and how many it made.</summary>
    public int FilesExpected { get; init; }
    public int FilesMade { get; init; }
    /// <summary>Other contracts whose steps of the next stage may run alongside this one's.</summary>
    public IReadOnlyList<string> ReadyTogether { get; init; } = [];
    public double DurationMs { get; init; }

    /// <summary>The state as the conditional rules' keys name it.</summary>
    public IReadOnlyDictionary<string, object?> Keys() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["contract"] = Contract, ["stage"] = Stage, ["next_stage"] = NextStage, ["status"] = Succeeded ? "succeeded" : "failed",
        ["error_code"] = ErrorCode, ["error"] = Error, ["attempts"] = (double)Attempts, ["priority"] = (double)Priority,
        ["quality_score"] = QualityScore, ["validation_level"] = ValidationLevel, ["strategy"] = Strategy, ["node_type"] = NodeType,
        ["operations"] = (double)Operations, ["duration_ms"] = DurationMs, ["ready_together"] = ReadyTogether,
    };
}

/// <summary>One strategy's say, or the merged decision.</summary>
public sealed record class RouteVote(string Decision, string Strategy, double Confidence, string Reasoning, string? NextTask);

/// <summary>
/// The run's router (docs/runs.md, "Routing"). After every step each strategy looks at the state; a strategy either
/// abstains or votes. The merge takes the first vote in a fixed precedence — conditional (the run's own rules), then
/// state analysis (errors, missing data, complexity), then priority (contracts marked high or low), then parallel
/// (who proceeds together) — so each strategy decides in the states the others leave alone, unlike a weighted maximum in
/// which two of the four could never win.
/// </summary>
public sealed class RunRouter(IReadOnlyList<RoutingRule> rules)
{
    public const int HighPriority = 80;
    public const int LowPriority = 20;
    static readonly string[] Operators = ["==", "!=", ">", "<", ">=", "<=", "in", "not_in", "contains", "not_contains"];
    readonly RoutingRule[] ordered = [.. rules.OrderByDescending(r => r.Priority)];

    /// <summary>The decision for <paramref name="state"/>: always one, by the first strategy with a say.</summary>
    public RouteVote Decide(RouteState state) =>
        Conditional(state) ?? StateAnalysis(state) ?? PriorityVote(state) ?? Parallel(state);

    /// <summary>Every strategy's say on <paramref name="state"/>, in precedence order (null: abstains).</summary>
    public IReadOnlyList<RouteVote?> Votes(RouteState state) => [Conditional(state), StateAnalysis(state), PriorityVote(state), Parallel(state)];

    RouteVote? Conditional(RouteState state)
    {
        if (ordered.Length == 0) return null;
        var keys = state.Keys();
        foreach (var rule in ordered)
        {
            if (!keys.TryGetValue(rule.ConditionKey, out var actual) || actual is null) continue;
            if (!Matches(actual, rule.Operator, JsonDocument.Parse(rule.Value).RootElement)) continue;
            return new RouteVote(rule.Decision, RouteStrategies.Conditional, 1.0,
                $"rule {rule.ConditionKey} {rule.Operator} {rule.Value} (priority {rule.Priority}) matched", rule.NextTask ?? state.NextStage);
        }
        return null;
    }

    static RouteVote? StateAnalysis(RouteState state)
    {
        if (!state.Succeeded)
        {
            var permanent = state.ErrorCode is Interfaces.ErrorCodes.ValidationError or Interfaces.ErrorCodes.MixinConflict;
            return permanent || state.Attempts >= state.MaxAttempts
                ? new RouteVote(RouteDecisions.Error, RouteStrategies.StateAnalysis, 0.95,
                    permanent ? $"the step failed with {state.ErrorCode}, which a retry cannot change" : $"the step failed {state.Attempts} times: {state.Error}", null)
                : new RouteVote(RouteDecisions.Retry, RouteStrategies.StateAnalysis, 0.9,
                    $"attempt {state.Attempts} of {state.MaxAttempts} failed ({state.ErrorCode}): retrying", state.Stage);
        }
        if (state.FilesMade < state.FilesExpected)
            return state.Attempts >= state.MaxAttempts
                ? new RouteVote(RouteDecisions.Error, RouteStrategies.StateAnalysis, 0.8, $"missing data: {state.FilesMade} of {state.FilesExpected} files after {state.Attempts} attempts", null)
                : new RouteVote(RouteDecisions.Retry, RouteStrategies.StateAnalysis, 0.8, $"missing data: {state.FilesMade} of {state.FilesExpected} files", state.Stage);
        if (state.Strategy is CodegenStrategies.Llm or CodegenStrategies.Hybrid && state.LanguageModelAvailable == false)
            return new RouteVote(RouteDecisions.Branch, RouteStrategies.StateAnalysis, 0.85,
                $"the {state.Strategy} strategy needs the language model, which is not available: falling back to template", state.NextStage);
        if (state.Stage == PackageLayout.ParseContract && state.ValidationLevel == ValidationLevels.None)
            return new RouteVote(RouteDecisions.Skip, RouteStrategies.StateAnalysis, 0.8, "validation level none: nothing to validate", PackageLayout.ValidateQuality);
        return null;
    }

    static RouteVote? PriorityVote(RouteState state)
    {
        if (state.NextStage is null) return null;
        if (state.Priority >= HighPriority)
            return new RouteVote(RouteDecisions.Continue, RouteStrategies.Priority, 0.95, $"priority {state.Priority}: takes the next free slot ahead of others", state.NextStage);
        if (state.Priority <= LowPriority)
            return new RouteVote(RouteDecisions.Continue, RouteStrategies.Priority, 0.85, $"priority {state.Priority}: yields free slots to others", state.NextStage);
        return null;
    }

    static RouteVote Parallel(RouteState state) => state.NextStage is null
        ? new RouteVote(RouteDecisions.End, RouteStrategies.Parallel, 0.9, "last stage done: its slot goes to the next ready step", null)
        : new RouteVote(RouteDecisions.Continue, RouteStrategies.Parallel, 0.9,
            state.ReadyTogether.Count == 0 ? $"proceeds to {state.NextStage}" : $"proceeds to {state.NextStage} together with {string.Join(", ", state.ReadyTogether)}",
            state.NextStage);

    /// <summary>Whether <paramref name="actual"/> compares true to <paramref name="expected"/> under <paramref name="op"/>.</summary>
    public static bool Matches(object actual, string op, JsonElement expected)
    {
        switch (op)
        {
            case "==": return Same(actual, expected);
            case "!=": return !Same(actual, expected);
            case ">" or "<" or ">=" or "<=":
                if (actual is not double a || expected.ValueKind != JsonValueKind.Number) return false;
                var e = expected.GetDouble();
                return op switch { ">" => a > e, "<" => a < e, ">=" => a >= e, _ => a <= e };
            case "in" or "not_in":
                if (expected.ValueKind != JsonValueKind.Array) return false;
                var found = expected.EnumerateArray().Any(item => Same(actual, item));
                return op == "in" ? found : !found;
            case "contains" or "not_contains":
                var has = actual switch
                {
                    string text when expected.ValueKind == JsonValueKind.String => text.Contains(expected.GetString()!, StringComparison.Ordinal),
                    IReadOnlyList<string> list when expected.ValueKind == JsonValueKind.String => list.Contains(expected.GetString()!),
                    _ => false,
                };
                return op == "contains" ? has : !has;
            default: return false;
        }
    }

    static bool Same(object actual, JsonElement expected) => (actual, expected.ValueKind) switch
    {
        (string s, JsonValueKind.String) => s == expected.GetString(),
        (double d, JsonValueKind.Number) => d == expected.GetDouble(),
        (bool b, JsonValueKind.True or JsonValueKind.False) => b == expected.GetBoolean(),
        (double d, JsonValueKind.String) => d.ToString(CultureInfo.InvariantCulture) == expected.GetString(),
        _ => false,
    };

    /// <summary>What is wrong with a rule: an operator, decision or next task the router does not know, or a value that is not JSON.</summary>
    public static IEnumerable<RequirementProblem> Check(RoutingRule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.ConditionKey)) yield return new RequirementProblem("condition_key", "required");
        if (!Operators.Contains(rule.Operator)) yield return new RequirementProblem("operator", $"expected one of {string.Join(", ", Operators)}");
        if (!RouteDecisions.All.Contains(rule.Decision)) yield return new RequirementProblem("decision", $"expected one of {string.Join(", ", RouteDecisions.All)}");
        if (rule.NextTask is { } next && !PackageLayout.Stages.Contains(next)) yield return new RequirementProblem("next_task", $"expected a stage: {string.Join(", ", PackageLayout.Stages)}");
        if (rule.Priority is < 0 or > 100) yield return new RequirementProblem("priority", "expected 0 to 100");
        var json = true;
        try { JsonDocument.Parse(rule.Value).Dispose(); } catch (JsonException) { json = false; }
        if (!json) yield return new RequirementProblem("value", "expected a JSON value");
    }
}
