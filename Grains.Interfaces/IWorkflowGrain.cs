using OmniBridge.Grains.Interfaces.Workflows;
using Orleans.Concurrency;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// One stamping workflow, keyed by its id (docs/architecture.md, "Workflows"): the orchestrator state machine, its steps,
/// retries and timeout. It survives the silo it runs on: a reminder resumes it elsewhere.
/// </summary>
public interface IWorkflowGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Starts the workflow and returns at once (it runs in the background). Starting a workflow
    /// that exists returns it as it is: a retried start never creates a second one.
    /// </summary>
    /// <exception cref="Stamping.StampCommandException">The request is malformed; nothing was started.</exception>
    Task<WorkflowView> StartAsync(WorkflowRequest request);

    /// <summary>The workflow as it is now; state <see cref="WorkflowPhase.None"/> when it was never started.</summary>
    [AlwaysInterleave]
    Task<WorkflowView> GetAsync();
}
