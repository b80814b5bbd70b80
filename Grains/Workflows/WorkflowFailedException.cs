using OmniBridge.Grains.Interfaces;
namespace OmniBridge.Grains.Workflows;

/// <summary>Ends a workflow as failed, with a stable code (VALIDATION_ERROR, WORKFLOW_TIMEOUT, DEPENDENCY_UNAVAILABLE, STEP_FAILED).</summary>
public sealed class WorkflowFailedException : Exception
{
    public WorkflowFailedException() { }

    public WorkflowFailedException(string message) : base(message) { }

    public WorkflowFailedException(string message, Exception inner) : base(message, inner) { }

    public WorkflowFailedException(string code, string message) : base(message) => Code = code;

    public string Code { get; } = ErrorCodes.StepFailed;
}
