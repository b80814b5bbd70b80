using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// A stamp found in text: where it is, and what it says. Fields are kept as written, so a
/// malformed stamp can still be reported precisely.
/// </summary>
public sealed record class FoundStamp
{
    public required StampType Form { get; init; }

    /// <summary>Offset of the stamp in the text it was found in.</summary>
    public required int Start { get; init; }

    /// <summary>Length of the text the stamp occupies (a lightweight line includes its line break).</summary>
    public required int Length { get; init; }

    public string? Uid { get; init; }

    /// <summary>The hash the stamp binds: the line's <c>hash=</c>, or a rich block's top-level <c>hash:</c>.</summary>
    public string? Hash { get; init; }

    public string? Timestamp { get; init; }

    /// <summary>Every <c>key: value</c> of a rich block (top level), or <c>author</c>/<c>v</c> and any other pair after a lightweight line's timestamp.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether a rich block has an <c>integrity:</c> section.</summary>
    public bool HasIntegrity { get; init; }

    public string? IntegrityAlgorithm { get; init; }
    public string? IntegrityHash { get; init; }

    /// <summary>What could not be read as a field: stray text, repeated keys. Strict validation reports these.</summary>
    public IReadOnlyList<string> ParseProblems { get; init; } = [];

    /// <summary>
    /// Whether the stamp binds <paramref name="canonicalHash"/>: its hash equals it exactly
    /// (so an upper-case hash never matches) and a rich block's integrity hash, when present, agrees.
    /// </summary>
    public bool Binds(string canonicalHash) =>
        string.Equals(Hash, canonicalHash, StringComparison.Ordinal)
        && (!HasIntegrity || string.Equals(IntegrityHash, Hash, StringComparison.Ordinal));
}
