namespace OmniBridge.Cli.Stamping;

/// <summary>What <c>omnibridge stamp</c> was asked to do.</summary>
public sealed record class StampSettings
{
    public required IReadOnlyList<string> Roots { get; init; }
    public required string Namespace { get; init; }

    /// <summary>The server as given, for the manifest.</summary>
    public required string Server { get; init; }

    public required string ManifestPath { get; init; }
    public bool InPlace { get; init; }
    public bool WithProofs { get; init; }

    /// <summary>How long <see cref="WithProofs"/> waits for the log to take every record in.</summary>
    public TimeSpan ProofWait { get; init; } = TimeSpan.FromMinutes(2);
}
