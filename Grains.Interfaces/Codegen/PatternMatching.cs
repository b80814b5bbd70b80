namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>What a node needs (docs/patterns.md): its type, optionally the operation at hand, and the features asked for.</summary>
[GenerateSerializer, Immutable]
public sealed record class PatternQuery
{
    /// <summary>effect, compute, reducer or orchestrator; patterns that do not apply to it are left out.</summary>
    [Id(0)] public required string NodeType { get; init; }
    [Id(1)] public string? Operation { get; init; }
    /// <summary>Free words or pattern names ("retry", "circuit breaker", "kafka health"); case, spaces and hyphens do not matter.</summary>
    [Id(2)] public IReadOnlySet<string> Features { get; init; } = new HashSet<string>();
    /// <summary>At most this many matches (1 to 20 through the API).</summary>
    [Id(3)] public int Limit { get; init; } = 5;
}

/// <summary>One pattern of the catalogue as it matched a query, the most relevant first.</summary>
[GenerateSerializer, Immutable]
public sealed record class PatternMatch
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Category { get; init; }
    [Id(2)] public required string Description { get; init; }
    /// <summary>0 to 1; never lowered by naming the pattern or adding a feature (docs/patterns.md, "Scoring").</summary>
    [Id(3)] public double RelevanceScore { get; init; }
    [Id(4)] public required string MatchReason { get; init; }
    [Id(5)] public IReadOnlyList<string> Tags { get; init; } = [];
}
