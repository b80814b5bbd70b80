using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>POST /api/v1/codegen/patterns/match (docs/patterns.md): a node type, optionally an operation, the features wanted, how many matches.</summary>
public sealed record class PatternMatchRequest
{
    public const int DefaultLimit = 5;
    public const int MaxLimit = 20;
    public const int MaxFeatures = 50;
    public const int MaxTextLength = 200;

    static readonly string[] NodeTypes = ["effect", "compute", "reducer", "orchestrator"];

    public string? NodeType { get; init; }
    public string? Operation { get; init; }
    public List<string>? Features { get; init; }
    public int? Limit { get; init; }

    public PatternQuery ToQuery()
    {
        var nodeType = NodeType ?? throw ApiException.Validation("node_type", "node_type is required");
        if (!NodeTypes.Contains(nodeType, StringComparer.Ordinal))
            throw ApiException.Validation("node_type", $"expected one of {string.Join(", ", NodeTypes)}");
        if (Operation is { Length: > MaxTextLength }) throw ApiException.Validation("operation", $"at most {MaxTextLength} characters");
        var features = Features ?? [];
        if (features.Count > MaxFeatures) throw ApiException.Validation("features", $"at most {MaxFeatures} features");
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i] is null) throw ApiException.Validation($"features[{i}]", "expected a string");
            if (features[i].Length > MaxTextLength) throw ApiException.Validation($"features[{i}]", $"at most {MaxTextLength} characters");
        }
        var limit = Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit) throw ApiException.Validation("limit", $"expected 1 to {MaxLimit}");
        return new PatternQuery
        {
            NodeType = nodeType,
            Operation = string.IsNullOrWhiteSpace(Operation) ? null : Operation,
            Features = features.ToHashSet(StringComparer.Ordinal),
            Limit = limit,
        };
    }
}
