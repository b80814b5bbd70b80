using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>A run as grain storage keeps it: the request, each contract's steps, the router's decisions, and signals not yet in the log.</summary>
[GenerateSerializer]
public sealed class CodegenRunState
{
    [Id(0)] public RunStatus Status { get; set; }
    [Id(1)] public RunRequest? Request { get; set; }
    [Id(2)] public DateTime CreatedAt { get; set; }
    [Id(3)] public DateTime? FinishedAt { get; set; }
    [Id(4)] public List<ContractRun> Contracts { get; set; } = [];
    [Id(5)] public List<RoutingDecisionView> Decisions { get; set; } = [];
    /// <summary>Signals saved with the state but perhaps not yet appended to the log (handed over again on resumption).</summary>
    [Id(6)] public List<RunSignal> Unsent { get; set; } = [];
    [Id(7)] public long LastSeq { get; set; }
    [Id(8)] public bool CancelRequested { get; set; }
    /// <summary>Whether the language model the strategy needs was found available; null until checked, or when not needed.</summary>
    [Id(9)] public bool? LanguageModelAvailable { get; set; }
    [Id(10)] public List<string> StagesAnnounced { get; set; } = [];
    /// <summary>Time spent processing before the current activation (a resumed run keeps counting from here).</summary>
    [Id(11)] public double WallMsBefore { get; set; }
}

/// <summary>One contract's part of a run.</summary>
[GenerateSerializer]
public sealed class ContractRun
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public RunStatus Status { get; set; } = RunStatus.Pending;
    /// <summary>The stage to run next (an index into the six); six when done.</summary>
    [Id(2)] public int Next { get; set; }
    [Id(3)] public List<StepRecord> Steps { get; set; } = [];
    [Id(5)] public string? NodeName { get; set; }
    [Id(6)] public double? QualityScore { get; set; }
    [Id(7)] public List<string> ValidationErrors { get; set; } = [];
    [Id(8)] public List<string> Notes { get; set; } = [];
    [Id(9)] public string? Error { get; set; }
    [Id(10)] public string? ErrorCode { get; set; }
    [Id(11)] public Guid SessionId { get; set; }
    [Id(12)] public string Strategy { get; set; } = CodegenStrategies.Template;
    /// <summary>When the contract began waiting for its dependencies (its timeout runs from here).</summary>
    [Id(13)] public DateTime? WaitingSince { get; set; }
    /// <summary>Whether the quality gates passed (null until the validation score arrives).</summary>
    [Id(14)] public bool? GatesPassed { get; set; }
    [Id(15)] public DateTime? RetryAt { get; set; }
    /// <summary>The package's result without its files (they are in <see cref="CodegenRunFiles"/>).</summary>
    [Id(16)] public GenerationResult? Result { get; set; }
    [Id(17)] public bool? ValidationPassed { get; set; }
    [Id(18)] public QuorumResult? Quorum { get; set; }
}

[GenerateSerializer]
public sealed class StepRecord
{
    [Id(0)] public string Stage { get; set; } = "";
    [Id(1)] public StepStatus Status { get; set; }
    [Id(2)] public DateTime? StartedAt { get; set; }
    [Id(3)] public DateTime? FinishedAt { get; set; }
    [Id(4)] public double DurationMs { get; set; }
    [Id(5)] public int Attempts { get; set; }
    [Id(6)] public string? Error { get; set; }
}

/// <summary>A run's generated files, per contract, stored apart from the run's state and saved only when a step brings new ones.</summary>
[GenerateSerializer]
public sealed class CodegenRunFiles
{
    [Id(0)] public Dictionary<string, List<GeneratedFile>> ByContract { get; set; } = [];
}
