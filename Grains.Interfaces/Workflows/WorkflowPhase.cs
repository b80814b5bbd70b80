namespace OmniBridge.Grains.Interfaces.Workflows;

/// <summary>Where a workflow is in its life (docs/architecture.md, "Workflows"). Completed and failed are final.</summary>
[GenerateSerializer]
public enum WorkflowPhase
{
    /// <summary>Never started: no workflow has this id.</summary>
    None = 0,
    Pending = 1,
    Processing = 2,
    Completed = 3,
    Failed = 4,
}
