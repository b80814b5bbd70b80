using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Tests.Contract;

/// <summary>What every workflow journal must do: keep the latest record of a workflow, without duplicating steps or transitions.</summary>
public abstract class WorkflowJournalContract
{
    protected abstract IWorkflowJournal Journal { get; }

    static readonly DateTime Start = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);

    static WorkflowView Workflow(Guid id, WorkflowPhase state, params WorkflowTransition[] history) => new()
    {
        WorkflowId = id,
        Namespace = "journal.tests",
        State = state,
        ItemCount = 2,
        CreatedAt = Start,
        Steps =
        [
            new WorkflowStepView { Name = "validate_input", Status = "succeeded", StartedAt = Start, DurationMs = 1.5, Attempts = 1 },
            new WorkflowStepView { Name = "hash", Status = state == WorkflowPhase.Pending ? "pending" : "succeeded", Attempts = 2, Error = "once failed" },
        ],
        History = history,
        ErrorCode = state == WorkflowPhase.Failed ? "WORKFLOW_TIMEOUT" : null,
        ErrorMessage = state == WorkflowPhase.Failed ? "too slow" : null,
    };

    [Fact]
    public async Task The_latest_record_is_kept_and_transitions_are_never_duplicated()
    {
        var id = Guid.NewGuid();
        var toProcessing = new WorkflowTransition { From = WorkflowPhase.Pending, To = WorkflowPhase.Processing, At = Start.AddSeconds(1) };
        var toFailed = new WorkflowTransition { From = WorkflowPhase.Processing, To = WorkflowPhase.Failed, At = Start.AddSeconds(2) };

        await Journal.RecordAsync(Workflow(id, WorkflowPhase.Pending));
        await Journal.RecordAsync(Workflow(id, WorkflowPhase.Processing, toProcessing));
        await Journal.RecordAsync(Workflow(id, WorkflowPhase.Processing, toProcessing));   // a retry records the same again
        await Journal.RecordAsync(Workflow(id, WorkflowPhase.Failed, toProcessing, toFailed));

        var read = await Journal.ReadAsync(id);
        Assert.NotNull(read);
        Assert.Equal(WorkflowPhase.Failed, read.State);
        Assert.Equal("WORKFLOW_TIMEOUT", read.ErrorCode);
        Assert.Equal(2, read.ItemCount);
        Assert.Equal([(WorkflowPhase.Pending, WorkflowPhase.Processing), (WorkflowPhase.Processing, WorkflowPhase.Failed)],
            read.History.Select(t => (t.From, t.To)));
        Assert.Equal(2, read.Steps.Count);
        var hash = read.Steps.Single(s => s.Name == "hash");
        Assert.Equal(("succeeded", 2, "once failed"), (hash.Status, hash.Attempts, hash.Error));
        Assert.Equal(1.5, read.Steps.Single(s => s.Name == "validate_input").DurationMs);
    }

    [Fact]
    public async Task An_unknown_workflow_reads_as_null()
    {
        Assert.Null(await Journal.ReadAsync(Guid.NewGuid()));
    }
}
