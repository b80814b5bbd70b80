namespace OmniBridge.Grains.Workflows;

/// <summary>The timing rules of docs/architecture.md, "Workflows"; tests shorten them, production keeps the defaults.</summary>
public sealed class WorkflowOptions
{
    /// <summary>Processing longer than this fails the workflow with WORKFLOW_TIMEOUT. Counts the time a silo spends on it, not a dead silo's downtime.</summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a failed step is retried.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first back-off; each retry doubles it, up to <see cref="MaxBackoff"/> (1 s, 2 s, 4 s).</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The optional intelligence step gives up after this and marks itself degraded.</summary>
    public TimeSpan IntelligenceTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an unfinished workflow's reminder fires, so another silo resumes it if its own dies.</summary>
    public TimeSpan ResumeEvery { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Backoff(int retry) => TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(retry, 30)));
}
