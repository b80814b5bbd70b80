using System.Collections.Concurrent;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Workflows;
using OmniBridge.Silo.Memory;
using Orleans.Storage;

namespace OmniBridge.Tests.Cluster;

/// <summary>The in-memory workflow journal, told to fail a number of times when a workflow reaches a state.</summary>
public sealed class ScriptedJournal : IWorkflowJournal
{
    readonly InMemoryWorkflowJournal inner = new();
    readonly ConcurrentDictionary<(Guid, WorkflowPhase), int> failures = new();

    public void FailWhen(Guid workflowId, WorkflowPhase state, int times) => failures[(workflowId, state)] = times;

    public Task RecordAsync(WorkflowView workflow, IReadOnlyList<OutboxEvent>? events = null, CancellationToken cancellationToken = default)
    {
        var key = (workflow.WorkflowId, workflow.State);
        if (failures.TryGetValue(key, out var left) && left > 0 && failures.TryUpdate(key, left - 1, left))
            throw new InvalidOperationException("scripted journal outage");
        return inner.RecordAsync(workflow, events, cancellationToken);
    }

    public Task<WorkflowView?> ReadAsync(Guid workflowId, CancellationToken cancellationToken = default) => inner.ReadAsync(workflowId, cancellationToken);
}

/// <summary>Grain storage over another, told to fail a workflow's writes a number of times when it reaches a state.</summary>
public sealed class ScriptedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    static readonly ConcurrentDictionary<(string, WorkflowPhase), int> Failures = new();

    public static void FailWhen(Guid workflowId, WorkflowPhase state, int times) => Failures[(workflowId.ToString("N"), state)] = times;

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is WorkflowState workflow)
        {
            var key = (grainId.Key.ToString()!, workflow.Phase);
            if (Failures.TryGetValue(key, out var left) && left > 0 && Failures.TryUpdate(key, left - 1, left))
                throw new InvalidOperationException("scripted storage outage");
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
