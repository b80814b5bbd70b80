namespace OmniBridge.Grains.Transparency;

/// <summary>The transparency log's settings (docs/transparency.md, "Configuration").</summary>
public sealed class TransparencyOptions
{
    /// <summary>LOG_ENABLED: false leaves records without a log index and the endpoints answer LOG_DISABLED.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>LOG_ORIGIN: the first part of each checkpoint's origin line; the key's name when not set.</summary>
    public string? Origin { get; set; }

    /// <summary>LOG_INTEGRATE_MS: how often a log takes in its waiting records.</summary>
    public TimeSpan IntegrateInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>LOG_CHECKPOINT_MS: the least time between two signed checkpoints of a growing log.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Records taken in by one transaction; a larger backlog takes several.</summary>
    public int BatchSize { get; set; } = 5000;
}
