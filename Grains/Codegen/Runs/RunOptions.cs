namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>Timing and limits of generation runs (CODEGEN_* in the environment, docs/runs.md).</summary>
public sealed class RunOptions
{
    /// <summary>Steps in flight at once in one run (CODEGEN_MAX_PARALLEL).</summary>
    public int MaxParallel { get; set; } = 8;

    /// <summary>The token budget of one agent's context package (CODEGEN_CONTEXT_TOKENS).</summary>
    public int ContextTokens { get; set; } = 8000;

    /// <summary>How long one step may take before it counts as failed.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts of one step: the first and two retries.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before each retry: 1 s, then 2 s.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>How long a contract waits for a dependency before it fails with DEPENDENCY_TIMEOUT.</summary>
    public TimeSpan DependencyTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often an unfinished run's reminder resumes it on a live silo (CODEGEN_RUN_RESUME_SECONDS).</summary>
    public TimeSpan ResumeEvery { get; set; } = TimeSpan.FromSeconds(10);
}
