using System.Collections.Concurrent;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Memory;

/// <summary>The embedded default's workflow journal: the latest record of each workflow, for as long as the process lives.</summary>
public sealed class InMemoryWorkflowJournal : IWorkflowJournal
{
    readonly ConcurrentDictionary<Guid, WorkflowView> workflows = new();

    public Task RecordAsync(WorkflowView workflow, IReadOnlyList<OutboxEvent>? events = null, CancellationToken cancellationToken = default)
    {
        workflows[workflow.WorkflowId] = workflow with { Results = null };
        return Task.CompletedTask;
    }

    public Task<WorkflowView?> ReadAsync(Guid workflowId, CancellationToken cancellationToken = default) =>
        Task.FromResult(workflows.GetValueOrDefault(workflowId));
}
