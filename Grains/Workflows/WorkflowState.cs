using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// A workflow's durable state (grain storage, JSON on PostgreSQL): everything needed to resume it
/// on another silo. Saved after every step and every transition.
/// </summary>
[GenerateSerializer]
public sealed class WorkflowState
{
    [Id(0)] public WorkflowPhase Phase { get; set; }
    [Id(1)] public string Namespace { get; set; } = "";

    /// <summary>The items still to stamp; cleared once the workflow ends.</summary>
    [Id(2)] public List<StampCommand> Items { get; set; } = [];

    [Id(3)] public bool EnableIntelligence { get; set; }
    [Id(4)] public List<WorkflowStep> Steps { get; set; } = [];
    [Id(5)] public List<WorkflowTransition> History { get; set; } = [];

    /// <summary>
    /// The records the hash step drafted. Their ids are kept, so a persist step run again after a
    /// crash finds its own records and knows it created them.
    /// </summary>
    [Id(6)] public List<StampRecord>? Candidates { get; set; }

    /// <summary>The stored records, one per item.</summary>
    [Id(7)] public List<StampRecord>? Results { get; set; }

    /// <summary>Per item: whether this workflow created the record (rather than finding it).</summary>
    [Id(8)] public List<bool>? Created { get; set; }

    [Id(9)] public string? ErrorCode { get; set; }
    [Id(10)] public string? ErrorMessage { get; set; }

    /// <summary>Processing time spent so far, across every silo that worked on it.</summary>
    [Id(11)] public double ProcessingMs { get; set; }

    [Id(12)] public DateTime CreatedAt { get; set; }
    [Id(13)] public int ItemCount { get; set; }
}

/// <summary>One step's progress.</summary>
[GenerateSerializer]
public sealed class WorkflowStep
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public string Status { get; set; } = WorkflowSteps.Pending;
    [Id(2)] public DateTime? StartedAt { get; set; }
    [Id(3)] public double? DurationMs { get; set; }
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public int Attempts { get; set; }
}
