namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>The catalogue of production patterns (docs/patterns.md). Stateless: call it with key 0 from anywhere.</summary>
public interface IPatternCatalogueGrain : IGrainWithIntegerKey
{
    /// <summary>The patterns that apply to <see cref="PatternQuery.NodeType"/>, most relevant first, ties by name.</summary>
    Task<IReadOnlyList<PatternMatch>> MatchAsync(PatternQuery query);
}
