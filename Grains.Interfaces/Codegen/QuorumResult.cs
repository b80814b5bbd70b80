namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>The verdicts of the AI quorum (docs/intelligence.md, "AI quorum").</summary>
public static class QuorumStatuses
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    /// <summary>The models that answered weigh less than the minimum: no verdict.</summary>
    public const string Unavailable = "quorum_unavailable";
}

/// <summary>What the AI quorum decided about one package, and how each model voted.</summary>
[GenerateSerializer, Immutable]
public sealed record class QuorumResult
{
    /// <summary>passed, failed or quorum_unavailable.</summary>
    [Id(0)] public required string Status { get; init; }
    [Id(1)] public bool Passed { get; init; }
    /// <summary>Σ(weight × confidence of pass votes) / Σ(weight of the models that answered); 0 when none answered.</summary>
    [Id(2)] public double Consensus { get; init; }
    [Id(3)] public double Threshold { get; init; }
    [Id(4)] public double ParticipatingWeight { get; init; }
    [Id(5)] public double TotalWeight { get; init; }
    [Id(6)] public double DurationMs { get; init; }
    [Id(7)] public IReadOnlyList<QuorumVote> Votes { get; init; } = [];
    [Id(8)] public double MinParticipatingWeight { get; init; }
}

/// <summary>One model's vote, or why it did not take part.</summary>
[GenerateSerializer, Immutable]
public sealed record class QuorumVote
{
    [Id(0)] public required string ModelId { get; init; }
    [Id(1)] public bool Participating { get; init; }
    /// <summary>True: pass; false: fail; null when the model did not take part.</summary>
    [Id(2)] public bool? Vote { get; init; }
    /// <summary>0 to 1; null when the model did not take part.</summary>
    [Id(3)] public double? Confidence { get; init; }
    [Id(4)] public string? Reasoning { get; init; }
    [Id(5)] public double DurationMs { get; init; }
    /// <summary>Why the model did not take part: its timeout, the deadline, an HTTP failure, an unreadable answer.</summary>
    [Id(6)] public string? Error { get; init; }
    [Id(7)] public double Weight { get; init; }
}
