namespace OmniBridge.Grains.Interfaces.Codegen.Runs;

/// <summary>The signal types of a run's log (docs/runs.md, "Signals") and the stream they are published on.</summary>
public static class RunSignals
{
    public const string AgentInitialized = "agent_initialized";
    public const string AgentCompleted = "agent_completed";
    public const string DependencyResolved = "dependency_resolved";
    public const string InterAgentMessage = "inter_agent_message";
    public const string StageCompleted = "stage_completed";
    public const string ErrorRecoveryCompleted = "error_recovery_completed";
    public static readonly IReadOnlyList<string> All = [AgentInitialized, AgentCompleted, DependencyResolved, InterAgentMessage, StageCompleted, ErrorRecoveryCompleted];

    /// <summary>The stream provider of run signals: explicit subscriptions, from any silo or client.</summary>
    public const string Provider = "omnibridge-runs";

    /// <summary>Stream namespace of run signals; the stream key is the run id.</summary>
    public const string Namespace = "codegen-run-signals";

    /// <summary>The coordinator, as a signal's sender.</summary>
    public const string Coordinator = "coordinator";
}
