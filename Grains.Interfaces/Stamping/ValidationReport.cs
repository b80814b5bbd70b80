namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>The verdict on the stamps found in content (docs/protocol.md, "Validation").</summary>
[GenerateSerializer, Immutable]
public sealed record class ValidationReport
{
    [Id(0)] public required bool IsValid { get; init; }
    [Id(1)] public required int StampsFound { get; init; }
    [Id(2)] public required string CurrentHash { get; init; }

    /// <summary>"no stamps found" or "hash mismatch" when not valid.</summary>
    [Id(3)] public string? Reason { get; init; }

    [Id(4)] public required IReadOnlyList<StampCheck> Results { get; init; }
    [Id(5)] public required double HashTimeMs { get; init; }
}

/// <summary>The verdict on one stamp.</summary>
[GenerateSerializer, Immutable]
public sealed record class StampCheck
{
    [Id(0)] public required StampType StampType { get; init; }

    /// <summary>The hash the stamp carries, as written (null when a rich block has none).</summary>
    [Id(1)] public string? StampHash { get; init; }

    [Id(2)] public required bool IsValid { get; init; }
}
