using System.Text.Json.Nodes;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// The pattern step's matches (docs/codegen-events.md, "Responses": pattern): the production patterns of the catalogue
/// (docs/patterns.md) scored on the node's description as one feature, best first. Without a node type every node type's
/// patterns are candidates, each with its best score. A pattern matches when the description gives any evidence for it
/// (a score above the floor every applicable pattern has).
/// </summary>
public static class PatternAnswer
{
    /// <summary>Up to <paramref name="limit"/> matches, best first, and how many matched in all.</summary>
    public static (JsonArray Matches, int Total) Match(string nodeDescription, string? nodeType, int limit)
    {
        var features = new HashSet<string>(StringComparer.Ordinal) { nodeDescription };
        var types = string.IsNullOrEmpty(nodeType) ? RequirementsRules.NodeTypes : [nodeType];
        var matched = types
            .SelectMany(type => PatternCatalogue.Match(new PatternQuery { NodeType = type, Features = features, Limit = PatternCatalogue.MaxLimit }))
            .Where(m => m.RelevanceScore > PatternRelevance.Applicable)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .Select(g => g.MaxBy(m => m.RelevanceScore)!)
            .OrderByDescending(m => m.RelevanceScore).ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        var matches = new JsonArray([.. matched.Take(limit).Select(m => (JsonNode)new JsonObject
        {
            ["pattern_id"] = m.Name,
            ["name"] = m.Name,
            ["category"] = m.Category,
            ["description"] = m.Description,
            ["relevance"] = m.RelevanceScore,
            ["match_reason"] = m.MatchReason,
            ["tags"] = new JsonArray([.. m.Tags.Select(t => (JsonNode)t)]),
        })]);
        return (matches, matched.Count);
    }
}
