using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces.Workflows;

/// <summary>A workflow as its caller sees it (docs/architecture.md, "Workflows").</summary>
[GenerateSerializer, Immutable]
public sealed record class WorkflowView
{
    [Id(0)] public required Guid WorkflowId { get; init; }
    [Id(1)] public required string Namespace { get; init; }
    [Id(2)] public required WorkflowPhase State { get; init; }
    [Id(3)] public required IReadOnlyList<WorkflowStepView> Steps { get; init; }
    [Id(4)] public required IReadOnlyList<WorkflowTransition> History { get; init; }

    /// <summary>The stamp records, one per item in order, once completed.</summary>
    [Id(5)] public IReadOnlyList<StampRecord>? Results { get; init; }

    /// <summary>Why it failed: a stable code (WORKFLOW_TIMEOUT, VALIDATION_ERROR, DEPENDENCY_UNAVAILABLE, ...) and a message.</summary>
    [Id(6)] public string? ErrorCode { get; init; }
    [Id(7)] public string? ErrorMessage { get; init; }

    [Id(8)] public required int ItemCount { get; init; }
    [Id(9)] public required DateTime CreatedAt { get; init; }

    /// <summary>Per result, whether this workflow created the record (false: it existed already); once completed.</summary>
    [Id(10)] public IReadOnlyList<bool>? Created { get; init; }
}

/// <summary>One step of a workflow: pending, running, succeeded, failed, degraded or skipped.</summary>
[GenerateSerializer, Immutable]
public sealed record class WorkflowStepView
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Status { get; init; }
    [Id(2)] public DateTime? StartedAt { get; init; }
    [Id(3)] public double? DurationMs { get; init; }
    [Id(4)] public string? Error { get; init; }
    [Id(5)] public int Attempts { get; init; }
}

/// <summary>One move of the state machine.</summary>
[GenerateSerializer, Immutable]
public sealed record class WorkflowTransition
{
    [Id(0)] public required WorkflowPhase From { get; init; }
    [Id(1)] public required WorkflowPhase To { get; init; }
    [Id(2)] public required DateTime At { get; init; }
}
