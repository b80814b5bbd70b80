using System.Text.Json;
using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Api.Codegen;

/// <summary>POST /api/v1/codegen/runs (docs/runs.md): contracts with their dependencies, and how the run generates and routes them.</summary>
public sealed record class StartRunRequest
{
    /// <summary>Optional: your own id, so a repeated POST answers the run it started instead of starting another.</summary>
    public string? RunId { get; init; }
    public List<RunContractBody>? Contracts { get; init; }
    public string? Strategy { get; init; }
    public string? ValidationLevel { get; init; }
    public List<RoutingRuleBody>? RoutingRules { get; init; }
    /// <summary>Optional: <c>{enabled, required}</c>, the AI quorum's vote on every contract's package.</summary>
    public JsonElement? Quorum { get; init; }

    public RunRequest ToRequest(string? owner) => new()
    {
        Contracts = [.. (Contracts ?? throw ApiException.Validation("contracts", "contracts is required")).Select((c, i) => c.ToContract(i))],
        Strategy = Strategy ?? CodegenStrategies.Auto,
        ValidationLevel = ValidationLevel ?? ValidationLevels.Standard,
        RoutingRules = [.. (RoutingRules ?? []).Select((r, i) => r.ToRule(i))],
        Owner = owner,
        Quorum = QuorumBody.Read(Quorum),
    };
}

public sealed record class RunContractBody
{
    public string? Name { get; init; }
    public RequirementsBody? Requirements { get; init; }
    public List<string>? DependsOn { get; init; }
    public int? Priority { get; init; }
    public List<GateBody>? Gates { get; init; }

    public RunContract ToContract(int index) => new()
    {
        Name = Name ?? throw ApiException.Validation($"contracts[{index}].name", "name is required"),
        Requirements = (Requirements ?? throw ApiException.Validation($"contracts[{index}].requirements", "requirements is required")).ToRequirements(),
        DependsOn = DependsOn is { } named && named.IndexOf(null!) is var at and >= 0
            ? throw ApiException.Validation($"contracts[{index}].depends_on[{at}]", "expected a contract name") : DependsOn ?? [],
        Priority = Priority ?? 50,
        Gates = [.. (Gates ?? []).Select((g, i) => new QualityGate(g.Type ?? "quality_gate",
            g.Threshold ?? throw ApiException.Validation($"contracts[{index}].gates[{i}].threshold", "threshold is required")))],
    };
}

public sealed record class GateBody
{
    public string? Type { get; init; }
    public double? Threshold { get; init; }
}

public sealed record class RoutingRuleBody
{
    public string? ConditionKey { get; init; }
    public string? Operator { get; init; }
    public JsonElement? Value { get; init; }
    public string? Decision { get; init; }
    public string? NextTask { get; init; }
    public int? Priority { get; init; }

    public RoutingRule ToRule(int index) => new()
    {
        ConditionKey = ConditionKey ?? throw ApiException.Validation($"routing_rules[{index}].condition_key", "condition_key is required"),
        Operator = Operator ?? throw ApiException.Validation($"routing_rules[{index}].operator", "operator is required"),
        Value = Value is { } v ? v.GetRawText() : throw ApiException.Validation($"routing_rules[{index}].value", "value is required"),
        Decision = Decision ?? throw ApiException.Validation($"routing_rules[{index}].decision", "decision is required"),
        NextTask = NextTask,
        Priority = Priority ?? 50,
    };
}
