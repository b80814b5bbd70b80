using OmniBridge.Api.Stamping;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Api.Workflows;

/// <summary>A workflow as GET /api/v1/workflows/{id} shows it (docs/architecture.md, "Workflows").</summary>
public sealed record class WorkflowResponse
{
    public required Guid WorkflowId { get; init; }
    public required string Namespace { get; init; }

    /// <summary>pending, processing, completed or failed.</summary>
    public required string State { get; init; }

    public required IReadOnlyList<WorkflowStepResponse> Steps { get; init; }
    public required IReadOnlyList<WorkflowTransitionResponse> History { get; init; }

    /// <summary>One stamp record per item, in order, once completed, with whether this workflow created it; null before.</summary>
    public IReadOnlyList<WorkflowResultView>? Results { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public WorkflowErrorResponse? Error { get; init; }

    public required int ItemCount { get; init; }
    public required DateTime CreatedAt { get; init; }

    public static WorkflowResponse From(WorkflowView view) => new()
    {
        WorkflowId = view.WorkflowId,
        Namespace = view.Namespace,
        State = view.State.Wire(),
        Steps = [.. view.Steps.Select(s => new WorkflowStepResponse(s.Name, s.Status, s.StartedAt, s.DurationMs, s.Error, s.Attempts))],
        History = [.. view.History.Select(t => new WorkflowTransitionResponse(t.From.Wire(), t.To.Wire(), t.At))],
        Results = view.Results?.Select((r, i) => WorkflowResultView.From(r, view.Created is { } created && i < created.Count && created[i])).ToList(),
        Error = view.ErrorCode is null ? null : new WorkflowErrorResponse(view.ErrorCode, view.ErrorMessage ?? ""),
        ItemCount = view.ItemCount,
        CreatedAt = view.CreatedAt,
    };

}

/// <summary>A workflow's record for one item, and whether the workflow created it (false: the record existed).</summary>
public sealed record class WorkflowResultView : StampRecordView
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    WorkflowResultView(StampRecordView record) : base(record) { }

    public bool Created { get; init; }

    public static WorkflowResultView From(OmniBridge.Grains.Interfaces.Stamping.StampRecord record, bool created) =>
        new(StampRecordView.From(record)) { Created = created };
}

public sealed record class WorkflowStepResponse(string Name, string Status, DateTime? StartedAt, double? DurationMs, string? Error, int Attempts);

public sealed record class WorkflowTransitionResponse(string FromState, string ToState, DateTime At);

public sealed record class WorkflowErrorResponse(string Code, string Message);
