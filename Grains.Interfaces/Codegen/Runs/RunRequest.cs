namespace OmniBridge.Grains.Interfaces.Codegen.Runs;

/// <summary>A coordinated generation run (docs/runs.md): several contracts, generated stage by stage, in parallel where their dependencies allow.</summary>
[GenerateSerializer, Immutable]
public sealed record class RunRequest
{
    [Id(0)] public required IReadOnlyList<RunContract> Contracts { get; init; }
    /// <summary>template, llm, hybrid or auto, for every contract of the run.</summary>
    [Id(1)] public string Strategy { get; init; } = CodegenStrategies.Auto;
    [Id(2)] public string ValidationLevel { get; init; } = ValidationLevels.Standard;
    /// <summary>The run's own rules for the conditional router, highest priority first.</summary>
    [Id(3)] public IReadOnlyList<RoutingRule> RoutingRules { get; init; } = [];
    /// <summary>The API key that asked (null when the service runs open).</summary>
    [Id(4)] public string? Owner { get; init; }
    /// <summary>The AI quorum's vote on every contract's package, in its validate_quality step.</summary>
    [Id(5)] public QuorumRequest? Quorum { get; init; }
}

/// <summary>One contract of a run: a name unique in the run, the requirements of one node, and what it waits for.</summary>
[GenerateSerializer, Immutable]
public sealed record class RunContract
{
    /// <summary>snake_case, unique in the run; names the contract's folder in the run's zip.</summary>
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required NodeRequirements Requirements { get; init; }
    /// <summary>Contracts of the same run that must complete before this one generates its models.</summary>
    [Id(2)] public IReadOnlyList<string> DependsOn { get; init; } = [];
    /// <summary>0 to 100 (default 50): the order in which ready contracts take free slots.</summary>
    [Id(3)] public int Priority { get; init; } = 50;
    [Id(4)] public IReadOnlyList<QualityGate> Gates { get; init; } = [];
}

/// <summary>A quality gate: the contract's package step runs only if its validation score reaches <see cref="Threshold"/> (0 to 1).</summary>
[GenerateSerializer, Immutable]
public sealed record class QualityGate([property: Id(0)] string Type, [property: Id(1)] double Threshold);

/// <summary>A rule of the conditional router: when the step's state has <see cref="ConditionKey"/> compared true to <see cref="Value"/>, decide <see cref="Decision"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record class RoutingRule
{
    [Id(0)] public required string ConditionKey { get; init; }
    /// <summary>==, !=, &gt;, &lt;, &gt;=, &lt;=, in, not_in, contains, not_contains.</summary>
    [Id(1)] public required string Operator { get; init; }
    /// <summary>The value as JSON text (a string, a number, a boolean or a list).</summary>
    [Id(2)] public required string Value { get; init; }
    /// <summary>continue, retry, skip, branch, error or end.</summary>
    [Id(3)] public required string Decision { get; init; }
    [Id(4)] public string? NextTask { get; init; }
    [Id(5)] public int Priority { get; init; } = 50;
}
