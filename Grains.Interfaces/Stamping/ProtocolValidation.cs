namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>How thoroughly O.N.E. v0.1 stamps are checked.</summary>
[GenerateSerializer]
public enum ProtocolValidationLevel
{
    /// <summary>Stamps parse and their hashes match the content.</summary>
    Basic = 0,

    /// <summary>Also every field present and well-formed.</summary>
    Strict = 1,
}

/// <summary>How far content complies with O.N.E. v0.1.</summary>
[GenerateSerializer]
public enum ComplianceLevel
{
    /// <summary>No well-formed stamp matches the content.</summary>
    None = 0,

    /// <summary>Some well-formed matching stamp, but also issues.</summary>
    Partial = 1,

    /// <summary>At least one stamp and no issue.</summary>
    Full = 2,
}

/// <summary>A request to check content against the O.N.E. v0.1 stamp protocol.</summary>
[GenerateSerializer, Immutable]
public sealed record class ProtocolValidationCommand
{
    [Id(0)] public required string Text { get; init; }
    [Id(1)] public ProtocolValidationLevel Level { get; init; } = ProtocolValidationLevel.Basic;
}

/// <summary>The protocol verdict with the issues found and what to do about them.</summary>
[GenerateSerializer, Immutable]
public sealed record class ProtocolValidationReport
{
    [Id(0)] public required bool IsValid { get; init; }
    [Id(1)] public required string ProtocolVersion { get; init; }
    [Id(2)] public required ComplianceLevel ComplianceLevel { get; init; }
    [Id(3)] public required IReadOnlyList<string> Issues { get; init; }
    [Id(4)] public required IReadOnlyList<string> Recommendations { get; init; }
    [Id(5)] public required int StampsFound { get; init; }
}
