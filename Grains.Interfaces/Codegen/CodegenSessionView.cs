namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>Where a generation stands.</summary>
public enum SessionStatus
{
    None,
    Pending,
    Processing,
    Completed,
    Failed,
}

/// <summary>A generation session as its caller sees it: status, stage and progress, then the result or the error.</summary>
[GenerateSerializer, Immutable]
public sealed record class CodegenSessionView
{
    [Id(0)] public Guid SessionId { get; init; }
    [Id(1)] public SessionStatus Status { get; init; }
    /// <summary>The stage running or last run (parse_contract ... package_node).</summary>
    [Id(2)] public string? Stage { get; init; }
    /// <summary>0 to 1.</summary>
    [Id(3)] public double Progress { get; init; }
    [Id(4)] public string? Owner { get; init; }
    [Id(5)] public DateTime CreatedAt { get; init; }
    [Id(6)] public DateTime UpdatedAt { get; init; }
    [Id(7)] public string? Error { get; init; }
    [Id(8)] public GenerationResult? Result { get; init; }
    [Id(9)] public string Strategy { get; init; } = "";
    [Id(10)] public string ServiceName { get; init; } = "";
    /// <summary>Why a failed session failed: LLM_UNAVAILABLE or GENERATION_FAILED.</summary>
    [Id(11)] public string? ErrorCode { get; init; }
}
