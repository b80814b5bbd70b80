using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// The pattern step's matches (docs/codegen-events.md, "Pattern"). The one place that decides them: today they are the template
/// variants scored by <see cref="VariantSelection"/> on the node's description and type, best first, score normalised to the
/// best; when the pattern catalogue is in, this is where it is asked instead (its match for the same description and type).
/// </summary>
public static class PatternAnswer
{
    /// <summary>Up to <paramref name="limit"/> matches, best first, and how many matched in all.</summary>
    public static (JsonArray Matches, int Total) Match(string nodeDescription, string nodeType, int limit)
    {
        var requirements = new NodeRequirements { NodeType = nodeType, BusinessDescription = nodeDescription, Operations = ["execute"] };
        var (chosen, scores) = VariantSelection.Choose(requirements);
        var matched = scores.Where(s => s.Value > 0).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var best = matched.Count == 0 ? 1 : matched[0].Value;
        var matches = new JsonArray([.. matched.Take(limit).Select(s => (JsonNode)new JsonObject
        {
            ["pattern_id"] = s.Key,
            ["name"] = s.Key,
            ["kind"] = "template_variant",
            ["score"] = s.Value,
            ["relevance"] = Math.Round((double)s.Value / best, 3),
            ["chosen"] = s.Key == chosen,
        })]);
        return (matches, matched.Count);
    }
}
