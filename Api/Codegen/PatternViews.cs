using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>The patterns matched for a query, most relevant first (docs/patterns.md).</summary>
public sealed record class PatternMatchResponse(string NodeType, string? Operation, IReadOnlyList<PatternMatchView> Matches)
{
    public static PatternMatchResponse From(PatternQuery query, IReadOnlyList<PatternMatch> matches) =>
        new(query.NodeType, query.Operation, [.. matches.Select(m => new PatternMatchView(m.Name, m.Category, m.Description, m.RelevanceScore, m.MatchReason, m.Tags))]);
}

public sealed record class PatternMatchView(string Name, string Category, string Description, double RelevanceScore, string MatchReason, IReadOnlyList<string> Tags);
