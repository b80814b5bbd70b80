namespace OmniBridge.Grains.Workflows;

/// <summary>The steps of a stamping workflow, in order (docs/architecture.md, "Workflows"), and what a step's status can be.</summary>
public static class WorkflowSteps
{
    public const string ValidateInput = "validate_input";
    public const string Hash = "hash";
    public const string Intelligence = "intelligence";
    public const string PersistStamps = "persist_stamps";
    public const string PublishEvents = "publish_events";
    public const string Complete = "complete";

    public static readonly IReadOnlyList<string> InOrder = [ValidateInput, Hash, Intelligence, PersistStamps, PublishEvents, Complete];

    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>The optional step failed or timed out; the workflow went on without it.</summary>
    public const string Degraded = "degraded";

    /// <summary>Not asked for (intelligence off).</summary>
    public const string Skipped = "skipped";

    public static bool IsDone(string status) => status is Succeeded or Degraded or Skipped;
}
