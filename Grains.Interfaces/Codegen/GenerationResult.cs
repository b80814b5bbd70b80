namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>A generated file of a node package, by its path inside the package.</summary>
[GenerateSerializer, Immutable]
public sealed record class GeneratedFile([property: Id(0)] string Path, [property: Id(1)] string Content);

/// <summary>A finished generation (docs/protocol.md, "Code generation"): the package and what was found checking it.</summary>
[GenerateSerializer, Immutable]
public sealed record class GenerationResult
{
    [Id(0)] public Guid SessionId { get; init; }
    /// <summary>The node's class name, Node&lt;PascalName&gt;&lt;Type&gt;.</summary>
    [Id(1)] public string NodeName { get; init; } = "";
    [Id(2)] public string StrategyUsed { get; init; } = "";
    [Id(3)] public double GenerationTimeMs { get; init; }
    [Id(4)] public bool ValidationPassed { get; init; }
    [Id(5)] public IReadOnlyList<string> ValidationErrors { get; init; } = [];
    [Id(6)] public IReadOnlyList<GeneratedFile> Files { get; init; } = [];
    [Id(7)] public string Variant { get; init; } = "";
    [Id(8)] public IReadOnlyList<string> Mixins { get; init; } = [];
    [Id(9)] public IReadOnlyList<string> Subcontracts { get; init; } = [];
    /// <summary>What the caller should know: checks that could not run, an LLM refinement that was dropped.</summary>
    [Id(10)] public IReadOnlyList<string> Notes { get; init; } = [];
    [Id(11)] public string ValidationLevel { get; init; } = "";
    [Id(12)] public string ServiceName { get; init; } = "";
    /// <summary>The AI quorum's verdict when the request enabled it.</summary>
    [Id(13)] public QuorumResult? Quorum { get; init; }
    /// <summary>The production patterns whose code the node carries (docs/patterns.md); none when the model wrote the node.</summary>
    [Id(14)] public IReadOnlyList<string> PatternsApplied { get; init; } = [];
}
