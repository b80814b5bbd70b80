namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>One generation: the requirements, how to generate and how strictly to check the result.</summary>
[GenerateSerializer, Immutable]
public sealed record class GenerationRequest
{
    [Id(0)] public required NodeRequirements Requirements { get; init; }
    /// <summary>template, llm, hybrid or auto.</summary>
    [Id(1)] public string Strategy { get; init; } = CodegenStrategies.Auto;
    /// <summary>none, basic, standard or strict.</summary>
    [Id(2)] public string ValidationLevel { get; init; } = ValidationLevels.Standard;
    /// <summary>The API key that asked (null when the service runs open); only it, or an admin, may read the session.</summary>
    [Id(3)] public string? Owner { get; init; }
    /// <summary>The AI quorum's vote on the package; null or not enabled: no vote.</summary>
    [Id(4)] public QuorumRequest? Quorum { get; init; }
}

/// <summary>The generation strategies of docs/protocol.md, "Code generation".</summary>
public static class CodegenStrategies
{
    public const string Template = "template";
    public const string Llm = "llm";
    public const string Hybrid = "hybrid";
    public const string Auto = "auto";
    public static readonly IReadOnlyList<string> All = [Template, Llm, Hybrid, Auto];
}

/// <summary>How much of the validation pipeline runs on a generated package.</summary>
public static class ValidationLevels
{
    public const string None = "none";
    public const string Basic = "basic";
    public const string Standard = "standard";
    public const string Strict = "strict";
    static readonly string[] Ordered = [None, Basic, Standard, Strict];
    public static readonly IReadOnlyList<string> All = Ordered;

    /// <summary>0 for none up to 3 for strict; -1 when unknown.</summary>
    public static int Rank(string level) => Array.IndexOf(Ordered, level);
}
