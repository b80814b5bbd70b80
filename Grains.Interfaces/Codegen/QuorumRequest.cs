namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>
/// Whether a generation asks the AI quorum to vote on its package (docs/intelligence.md, "AI quorum"), and whether the
/// package fails when too few models answer.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class QuorumRequest
{
    [Id(0)] public bool Enabled { get; init; }
    /// <summary>When true, quorum_unavailable fails validation as a failed vote does; otherwise it is only noted.</summary>
    [Id(1)] public bool Required { get; init; }
}
