namespace OmniBridge.Grains.Events;

/// <summary>The Kafka topics of docs/protocol.md, "Events", under the environment's prefix; each has a <c>.dlq</c> twin for messages that cannot be processed.</summary>
public sealed class EventTopics(string environment)
{
    public string StampCreated { get; } = $"{environment}.omninode-bridge.metadata.metadata-stamp-created.v1";
    public string StampValidated { get; } = $"{environment}.omninode-bridge.metadata.metadata-stamp-validated.v1";
    public string BatchProcessed { get; } = $"{environment}.omninode-bridge.metadata.metadata-batch-processed.v1";
    public string WorkflowTransition { get; } = $"{environment}.omninode-bridge.workflow.workflow-state-transition.v1";
    public string WorkflowCompleted { get; } = $"{environment}.omninode-bridge.workflow.stamp-workflow-completed.v1";
    public string WorkflowFailed { get; } = $"{environment}.omninode-bridge.workflow.stamp-workflow-failed.v1";

    public IReadOnlyList<string> All => [StampCreated, StampValidated, BatchProcessed, WorkflowTransition, WorkflowCompleted, WorkflowFailed];

    /// <summary>Where messages of <paramref name="topic"/> that cannot be processed go: its <c>.dlq</c> twin, or a codegen step's own dead-letter topic.</summary>
    public static string DeadLetter(string topic) => CodegenTopics.DeadLetterOf(topic) ?? topic + ".dlq";
}
