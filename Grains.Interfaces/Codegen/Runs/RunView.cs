namespace OmniBridge.Grains.Interfaces.Codegen.Runs;

/// <summary>Where a run, a stage or a contract stands.</summary>
public enum RunStatus
{
    None,
    Pending,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>Where one contract's step of one stage stands.</summary>
public enum StepStatus
{
    Pending,
    Waiting,
    Running,
    Completed,
    Failed,
    Skipped,
    Cancelled,
}

/// <summary>A run as GET /api/v1/codegen/runs/{id} shows it (docs/runs.md).</summary>
[GenerateSerializer, Immutable]
public sealed record class RunView
{
    [Id(0)] public Guid RunId { get; init; }
    [Id(1)] public RunStatus Status { get; init; }
    [Id(2)] public IReadOnlyList<StageView> Stages { get; init; } = [];
    [Id(3)] public IReadOnlyList<RunContractView> Contracts { get; init; } = [];
    [Id(4)] public double WallMs { get; init; }
    [Id(5)] public double SumStepMs { get; init; }
    /// <summary>The sum of step times over the wall time: what running steps side by side gained.</summary>
    [Id(6)] public double Speedup { get; init; }
    [Id(7)] public DateTime CreatedAt { get; init; }
    [Id(8)] public string? Owner { get; init; }
    [Id(9)] public string Strategy { get; init; } = "";
    [Id(10)] public string ValidationLevel { get; init; } = "";
}

[GenerateSerializer, Immutable]
public sealed record class StageView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public RunStatus Status { get; init; }
    [Id(2)] public DateTime? StartedAt { get; init; }
    [Id(3)] public double DurationMs { get; init; }
    [Id(4)] public IReadOnlyList<StepView> Steps { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record class StepView
{
    [Id(0)] public required string Contract { get; init; }
    [Id(1)] public StepStatus Status { get; init; }
    [Id(2)] public double DurationMs { get; init; }
    [Id(3)] public int Attempts { get; init; }
    [Id(4)] public string? Error { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record class RunContractView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public RunStatus Status { get; init; }
    /// <summary>The contract's own generation id, as /generate would give it.</summary>
    [Id(2)] public Guid SessionId { get; init; }
    [Id(3)] public string? NodeName { get; init; }
    [Id(4)] public bool? ValidationPassed { get; init; }
    [Id(5)] public double? QualityScore { get; init; }
    [Id(6)] public string? Error { get; init; }
    /// <summary>DEPENDENCY_FAILED, DEPENDENCY_TIMEOUT, QUALITY_GATE_FAILED, VALIDATION_ERROR, STEP_FAILED, ROUTED_ERROR or CANCELLED.</summary>
    [Id(7)] public string? ErrorCode { get; init; }
    [Id(8)] public IReadOnlyList<string> DependsOn { get; init; } = [];
    [Id(9)] public IReadOnlyList<string> ValidationErrors { get; init; } = [];
    [Id(10)] public string? StrategyUsed { get; init; }
    /// <summary>The AI quorum's verdict on the contract's package, when the run enabled it.</summary>
    [Id(11)] public QuorumResult? Quorum { get; init; }
}

/// <summary>One signal of a run's log (docs/runs.md, "Signals").</summary>
[GenerateSerializer, Immutable]
public sealed record class RunSignal
{
    /// <summary>1, 2, 3... in the order the run sent them.</summary>
    [Id(0)] public long Seq { get; init; }
    [Id(1)] public Guid SignalId { get; init; }
    [Id(2)] public required string SignalType { get; init; }
    [Id(3)] public required string Sender { get; init; }
    /// <summary>Empty: every subscriber.</summary>
    [Id(4)] public IReadOnlyList<string> Recipients { get; init; } = [];
    [Id(5)] public DateTime At { get; init; }
    /// <summary>The signal's data, a JSON object as text.</summary>
    [Id(6)] public string Data { get; init; } = "{}";
}

/// <summary>One decision of the run's router: what a contract does after a stage, and which strategy decided it.</summary>
[GenerateSerializer, Immutable]
public sealed record class RoutingDecisionView
{
    [Id(0)] public long Seq { get; init; }
    [Id(1)] public required string Contract { get; init; }
    [Id(2)] public required string AfterStage { get; init; }
    [Id(3)] public required string Decision { get; init; }
    [Id(4)] public required string Strategy { get; init; }
    [Id(5)] public double Confidence { get; init; }
    [Id(6)] public required string Reasoning { get; init; }
    [Id(7)] public string? NextTask { get; init; }
    [Id(8)] public DateTime At { get; init; }
}

/// <summary>A completed contract's package, for the run's zip.</summary>
[GenerateSerializer, Immutable]
public sealed record class RunPackage([property: Id(0)] string Contract, [property: Id(1)] GenerationResult Result);
