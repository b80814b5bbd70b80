namespace OmniBridge.Cli.Verifying;

/// <summary>What <c>omnibridge verify</c> was asked to do.</summary>
public sealed record class VerifySettings
{
    public required IReadOnlyList<string> Roots { get; init; }
    public required string ManifestPath { get; init; }

    /// <summary>The verifier key given with <c>--log-key</c>, already read from its file.</summary>
    public string? LogKey { get; init; }

    /// <summary>Only the manifest and the proofs file: no request to any server.</summary>
    public bool Offline { get; init; }
}
