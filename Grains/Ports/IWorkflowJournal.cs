using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// The public record of workflows, for operators who query them with SQL: workflow_executions,
/// workflow_steps and fsm_transitions. The workflow grain's own state is its truth; recording is
/// idempotent, so a retried or resumed workflow records the same rows again without duplicates.
/// </summary>
public interface IWorkflowJournal
{
    /// <summary>
    /// Records the workflow as it is now: its row, each of its steps, each transition so far; and,
    /// in the same transaction, its transition <paramref name="events"/> in the outbox (each once).
    /// </summary>
    Task RecordAsync(WorkflowView workflow, IReadOnlyList<OutboxEvent>? events = null, CancellationToken cancellationToken = default);

    /// <summary>The recorded workflow (without results), or null.</summary>
    Task<WorkflowView?> ReadAsync(Guid workflowId, CancellationToken cancellationToken = default);
}
