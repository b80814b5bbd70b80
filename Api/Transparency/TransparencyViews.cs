using OmniBridge.Grains.Interfaces.Transparency;

namespace OmniBridge.Api.Transparency;

/// <summary>GET /proof/inclusion (docs/transparency.md, "Endpoints"): byte strings in standard base64.</summary>
public sealed record class InclusionProofView
{
    public required long LeafIndex { get; init; }
    public required long TreeSize { get; init; }

    /// <summary>The leaf's bytes, base64.</summary>
    public required string Leaf { get; init; }

    /// <summary>The audit path, leaf level first, base64.</summary>
    public required IReadOnlyList<string> Hashes { get; init; }

    /// <summary>The latest signed checkpoint's text.</summary>
    public required string Checkpoint { get; init; }

    public static InclusionProofView From(InclusionProof proof) => new()
    {
        LeafIndex = proof.LeafIndex,
        TreeSize = proof.TreeSize,
        Leaf = Convert.ToBase64String(proof.Leaf),
        Hashes = [.. proof.Hashes.Select(Convert.ToBase64String)],
        Checkpoint = proof.Checkpoint,
    };
}

/// <summary>GET /proof/consistency.</summary>
public sealed record class ConsistencyProofView(long From, long To, IReadOnlyList<string> Hashes)
{
    public static ConsistencyProofView Of(ConsistencyProof proof) => new(proof.From, proof.To, [.. proof.Hashes.Select(Convert.ToBase64String)]);
}

/// <summary>GET /entries: leaves in index order.</summary>
public sealed record class EntriesView(IReadOnlyList<EntryView> Entries);

/// <summary>One leaf: its index and its bytes in base64.</summary>
public sealed record class EntryView(long Index, string Leaf);
