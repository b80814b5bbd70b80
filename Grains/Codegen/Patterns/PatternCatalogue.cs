using System.Collections.Frozen;
using System.Globalization;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>
/// The production patterns a generated node can carry (docs/patterns.md) and which of them suit a node: <see cref="Match"/>
/// ranks the patterns that apply to the query's node type by <see cref="PatternRelevance"/>, most relevant first, ties by
/// name; <see cref="Selected"/> is what the template strategy adds to a node.
/// </summary>
public static class PatternCatalogue
{
    /// <summary>A pattern is added to a generated node from this relevance up: it was named, or the evidence is strong.</summary>
    public const double ApplyThreshold = 0.5;

    public const int MaxLimit = 20;

    /// <summary>Every pattern, in the order their wrappers and hooks are listed.</summary>
    public static readonly IReadOnlyList<ProductionPattern> All =
    [
        new LifecyclePattern(), new HealthChecksPattern(), new DatabaseHealthPattern(), new KafkaHealthPattern(), new MetricsPattern(),
        new EventPublishingPattern(), new ServiceDiscoveryPattern(), new ErrorHandlingPattern(), new RetryPattern(), new CircuitBreakerPattern(),
    ];

    sealed record class Terms(ProductionPattern Pattern, FrozenSet<string> Names, string[] NameWords, FrozenSet<string> TagWords, IReadOnlyList<string> Tags);

    static readonly Terms[] Indexed = [.. All.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
    {
        var nameWords = PatternRelevance.Words(p.Name).ToArray();
        return new Terms(p,
            p.Aliases.Append(p.Name).Select(PatternRelevance.Key).ToFrozenSet(StringComparer.Ordinal),
            nameWords,
            p.Tags.SelectMany(PatternRelevance.Words).Concat(nameWords).ToFrozenSet(StringComparer.Ordinal),
            [.. p.Tags]);
    })];

    static readonly FrozenDictionary<string, ProductionPattern> ByName = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The pattern called <paramref name="name"/>, or null.</summary>
    public static ProductionPattern? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The patterns that apply to the query's node type, most relevant first (ties by name), at most <see cref="PatternQuery.Limit"/>.</summary>
    public static IReadOnlyList<PatternMatch> Match(PatternQuery query) =>
        Rank(query.NodeType, query.Features, query.Operation is { } operation ? [operation] : [], query.Limit);

    /// <summary>Every pattern that applies to the requirements' node type, scored on their features and operations.</summary>
    public static IReadOnlyList<PatternMatch> ForRequirements(NodeRequirements requirements) =>
        Rank(requirements.NodeType, requirements.Features, requirements.Operations, MaxLimit);

    /// <summary>The names of the patterns the template strategy adds to a node of these requirements, in catalogue order.</summary>
    public static IReadOnlyList<string> Selected(NodeRequirements requirements)
    {
        var chosen = ForRequirements(requirements).Where(m => m.RelevanceScore >= ApplyThreshold).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(p => chosen.Contains(p.Name)).Select(p => p.Name)];
    }

    static List<PatternMatch> Rank(string nodeType, IEnumerable<string> features, IReadOnlyList<string> operations, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var featureKeys = new HashSet<string>(StringComparer.Ordinal);
        var featureWords = new List<List<string>>();
        var allWords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            var words = PatternRelevance.Words(feature);
            if (words.Count == 0) continue;
            featureKeys.Add(string.Join('_', words));
            featureWords.Add(words);
            allWords.UnionWith(words);
        }
        var operationWords = operations.SelectMany(PatternRelevance.Words).ToHashSet(StringComparer.Ordinal);

        var matches = new List<PatternMatch>(Indexed.Length);
        foreach (var terms in Indexed)
        {
            if (!terms.Pattern.AppliesTo(nodeType)) continue;
            var named = terms.Names.Overlaps(featureKeys) || featureWords.Any(words => terms.NameWords.All(words.Contains));
            var tagHits = terms.TagWords.Where(allWords.Contains).Order(StringComparer.Ordinal).ToList();
            var operationHits = terms.TagWords.Where(operationWords.Contains).Order(StringComparer.Ordinal).ToList();
            matches.Add(new PatternMatch
            {
                Name = terms.Pattern.Name,
                Category = terms.Pattern.Category,
                Description = terms.Pattern.Description,
                RelevanceScore = PatternRelevance.Score(named, operationHits.Count > 0, tagHits.Count),
                MatchReason = Reason(nodeType, named, tagHits, operationHits),
                Tags = terms.Tags,
            });
        }
        // Indexed is in name order and the sort is stable: equal scores stay by name.
        return [.. matches.OrderByDescending(m => m.RelevanceScore).Take(limit)];
    }

    static string Reason(string nodeType, bool named, List<string> tagHits, List<string> operationHits)
    {
        var parts = new List<string>();
        if (named) parts.Add("named in the features");
        if (tagHits.Count > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"features match {tagHits.Count} of its tags ({string.Join(", ", tagHits)})"));
        if (operationHits.Count > 0) parts.Add($"the operation matches its tags ({string.Join(", ", operationHits)})");
        parts.Add(parts.Count == 0 ? $"applies to {nodeType} nodes; nothing in the query matched it" : $"applies to {nodeType} nodes");
        return string.Join("; ", parts);
    }
}
