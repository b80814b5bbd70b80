using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>What every model of the quorum is shown about one generated node.</summary>
public sealed record class QuorumBrief
{
    public required string NodeType { get; init; }
    public required string NodeName { get; init; }
    /// <summary>contract.yaml as generated, or the requirements' description when there is none; shortened to <see cref="ContractCharacters"/>.</summary>
    public required string ContractSummary { get; init; }
    /// <summary>node.py, shortened to <see cref="CodeCharacters"/>.</summary>
    public required string Code { get; init; }
    public IReadOnlyList<string> Criteria { get; init; } = DefaultCriteria;
    /// <summary>What the validation pipeline already found; the models may weigh it.</summary>
    public IReadOnlyList<string> KnownProblems { get; init; } = [];

    /// <summary>The original's criteria (reference/original-phase3-4.md, "AI Quorum").</summary>
    public static readonly IReadOnlyList<string> DefaultCriteria =
    [
        "ONEX v2.0 compliance: the node class, its execute method and the request and response models the contract names",
        "code quality: readable, typed, documented",
        "functional correctness: every operation of the contract is handled",
        "security: no eval, exec, shell calls, unsafe deserialisation or hard-coded secrets",
        "performance: no needless blocking or quadratic work on the request path",
    ];

    // Enough of a node for a reviewer, within a small model's context window (about 4,000 tokens in all).
    public const int CodeCharacters = 12_000;
    public const int ContractCharacters = 3_000;

    public static QuorumBrief Of(NodeRequirements requirements, string nodeName, IReadOnlyList<GeneratedFile> files, IReadOnlyList<string> problems) => new()
    {
        NodeType = requirements.NodeType,
        NodeName = nodeName,
        ContractSummary = Shortened(files.FirstOrDefault(f => f.Path == "contract.yaml")?.Content
            ?? $"{requirements.ServiceName} ({requirements.NodeType}): {requirements.BusinessDescription}", ContractCharacters),
        Code = Shortened(files.FirstOrDefault(f => f.Path == "node.py")?.Content ?? "", CodeCharacters),
        KnownProblems = problems,
    };

    /// <summary>The text up to <paramref name="limit"/> characters, cut at a line's end, saying how much was left out.</summary>
    public static string Shortened(string text, int limit)
    {
        if (text.Length <= limit) return text;
        var cut = text.LastIndexOf('\n', limit - 1);
        if (cut < limit / 2) cut = limit;
        return text[..cut] + $"\n# ... ({text.Length - cut} more characters not shown)";
    }
}
