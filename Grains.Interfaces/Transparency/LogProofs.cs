namespace OmniBridge.Grains.Interfaces.Transparency;

/// <summary>An RFC 9162 audit path for one leaf in the tree of <see cref="TreeSize"/> leaves (docs/transparency.md, "Endpoints").</summary>
[GenerateSerializer, Immutable]
public sealed record class InclusionProof
{
    [Id(0)] public required long LeafIndex { get; init; }
    [Id(1)] public required long TreeSize { get; init; }

    /// <summary>The leaf's bytes (not its hash).</summary>
    [Id(2)] public required byte[] Leaf { get; init; }

    /// <summary>Sibling hashes, leaf level first.</summary>
    [Id(3)] public required IReadOnlyList<byte[]> Hashes { get; init; }

    /// <summary>The latest signed checkpoint (a note), whatever size was asked for.</summary>
    [Id(4)] public required string Checkpoint { get; init; }
}

/// <summary>An RFC 9162 consistency proof between two tree sizes.</summary>
[GenerateSerializer, Immutable]
public sealed record class ConsistencyProof
{
    [Id(0)] public required long From { get; init; }
    [Id(1)] public required long To { get; init; }
    [Id(2)] public required IReadOnlyList<byte[]> Hashes { get; init; }
}

/// <summary>One leaf of a log, by index.</summary>
[GenerateSerializer, Immutable]
public sealed record class LogEntry
{
    [Id(0)] public required long Index { get; init; }
    [Id(1)] public required byte[] Leaf { get; init; }
}

/// <summary>Whether the log is on, and whether its signing key survives a restart.</summary>
[GenerateSerializer, Immutable]
public sealed record class TransparencyStatus
{
    [Id(0)] public required bool Enabled { get; init; }

    /// <summary>True when no LOG_SIGNING_KEY was configured and the silo made a key of its own at start.</summary>
    [Id(1)] public required bool EphemeralKey { get; init; }

    /// <summary>The verifier key, in the signed-note form.</summary>
    [Id(2)] public required string VerifierKey { get; init; }
}
