namespace OmniBridge.Grains.Interfaces.Codegen.Runs;

/// <summary>
/// An agent of a run: executes one contract's step of one stage from its assignment and context package. Stateless:
/// a run's steps spread over as many activations, on as many silos, as are free. Call it with key 0.
/// </summary>
public interface ICodegenAgentGrain : IGrainWithIntegerKey
{
    /// <summary>One step of one contract (parse_contract, generate_model, generate_validator, generate_test, package_node).</summary>
    Task<StepOutcome> ExecuteAsync(StepAssignment assignment, CancellationToken cancellationToken = default);

    /// <summary>The validate_quality steps of several contracts at once: every package's Python checked by one interpreter.</summary>
    Task<IReadOnlyList<StepOutcome>> ValidateAsync(IReadOnlyList<StepAssignment> assignments, CancellationToken cancellationToken = default);
}

/// <summary>What an agent is asked to do: the step, the contract's requirements, the files made so far, and its context package.</summary>
[GenerateSerializer, Immutable]
public sealed record class StepAssignment
{
    [Id(0)] public required string Stage { get; init; }
    [Id(1)] public required NodeRequirements Requirements { get; init; }
    /// <summary>template or llm: the strategy the contract's files are made with.</summary>
    [Id(2)] public required string Strategy { get; init; }
    [Id(3)] public required string ValidationLevel { get; init; }
    [Id(4)] public IReadOnlyList<GeneratedFile> Files { get; init; } = [];
    [Id(5)] public required ContextPackage Context { get; init; }
    /// <summary>For validate_quality: whether the AI quorum votes on the package too.</summary>
    [Id(6)] public QuorumRequest? Quorum { get; init; }
}

/// <summary>What a step made: new files, and for validation its findings and score.</summary>
[GenerateSerializer, Immutable]
public sealed record class StepOutcome
{
    [Id(0)] public IReadOnlyList<GeneratedFile> Files { get; init; } = [];
    [Id(1)] public string? NodeName { get; init; }
    [Id(2)] public IReadOnlyList<string> Errors { get; init; } = [];
    [Id(3)] public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>0 to 1, from the validation step; null when the step does not validate.</summary>
    [Id(4)] public double? QualityScore { get; init; }
    /// <summary>Why the step itself failed (not the package's validation errors): a code and a message.</summary>
    [Id(5)] public string? FailureCode { get; init; }
    [Id(6)] public string? Failure { get; init; }
    [Id(7)] public double DurationMs { get; init; }
    /// <summary>The AI quorum's verdict, from a validate_quality step that asked for it.</summary>
    [Id(8)] public QuorumResult? Quorum { get; init; }
}

/// <summary>
/// What one agent is given to work with (docs/runs.md, "Context packages"): coordination metadata, its assignment, the
/// shared intelligence it needs and the limits it runs under, within the run's token budget.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class ContextPackage
{
    [Id(0)] public required ContextMetadata Metadata { get; init; }
    [Id(1)] public required ContextAssignment Assignment { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, string> NamingConventions { get; init; } = new Dictionary<string, string>();
    /// <summary>The model types of every contract this one depends on, directly or transitively.</summary>
    [Id(3)] public IReadOnlyList<UpstreamTypes> TypeRegistry { get; init; } = [];
    [Id(4)] public IReadOnlyList<MatchedPattern> Patterns { get; init; } = [];
    [Id(5)] public required ResourceLimits Limits { get; init; }
    /// <summary>The package's size in tokens (characters / 4), never above <see cref="ResourceLimits.TokenBudget"/>.</summary>
    [Id(6)] public int EstimatedTokens { get; init; }
    /// <summary>Sections, or entries of them, left out to stay within the budget.</summary>
    [Id(7)] public IReadOnlyList<string> Dropped { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record class ContextMetadata
{
    [Id(0)] public Guid RunId { get; init; }
    [Id(1)] public required string AgentId { get; init; }
    [Id(2)] public required string Contract { get; init; }
    [Id(3)] public required string Stage { get; init; }
    [Id(4)] public int Attempt { get; init; }
    [Id(5)] public DateTime CreatedAt { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record class ContextAssignment
{
    [Id(0)] public required string Objective { get; init; }
    /// <summary>The files the step makes, or what it checks.</summary>
    [Id(1)] public IReadOnlyList<string> Tasks { get; init; } = [];
    [Id(2)] public IReadOnlyList<string> DependsOn { get; init; } = [];
}

/// <summary>The names a dependency's package defines, for a dependent's generated code to use.</summary>
[GenerateSerializer, Immutable]
public sealed record class UpstreamTypes
{
    [Id(0)] public required string Contract { get; init; }
    [Id(1)] public required string NodeClass { get; init; }
    [Id(2)] public required string RequestModel { get; init; }
    [Id(3)] public required string ResponseModel { get; init; }
    [Id(4)] public IReadOnlyList<string> DataModels { get; init; } = [];
    /// <summary>True for a direct dependency, false for one reached through another.</summary>
    [Id(5)] public bool Direct { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record class MatchedPattern([property: Id(0)] string Name, [property: Id(1)] string Kind, [property: Id(2)] double Score);

/// <summary>The limits an agent runs under; the coordinator and the agent enforce them.</summary>
[GenerateSerializer, Immutable]
public sealed record class ResourceLimits
{
    [Id(0)] public int StepTimeoutMs { get; init; }
    [Id(1)] public int MaxAttempts { get; init; }
    [Id(2)] public int MaxParallel { get; init; }
    [Id(3)] public int TokenBudget { get; init; }
}
