namespace OmniBridge.Cli.Manifests;

/// <summary>
/// <c>onex-manifest.json</c> (docs/cli.md, "The manifest"): what <c>stamp</c> registered, file by
/// file, and the log checkpoint it saw, so that <c>verify</c> can tell later exactly what changed.
/// </summary>
public sealed record class Manifest
{
    public const string DefaultName = "onex-manifest.json";
    public const string ProofsName = "onex-proofs.json";

    // Settable rather than init-only: the generated JSON reader sets every init-only property, absent or not, which
    // would make a file without "version" read as 0 instead of this default.
    public int Version { get; set; } = 1;
    public required string Namespace { get; init; }
    public required string Server { get; init; }
    public required DateTime CreatedAt { get; init; }

    /// <summary>The namespace log's signed checkpoint (the note's text) when the manifest was written.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The verifier key the checkpoint was checked with: given, or the server's, trusted on first use.</summary>
    public string? LogKey { get; init; }

    public required IReadOnlyList<ManifestFile> Files { get; init; }
}

/// <summary>One file: its bytes as they were on disk after <c>stamp</c>, and the record registering them.</summary>
public sealed record class ManifestFile
{
    /// <summary>Relative to the manifest's folder, parts joined by <c>/</c>.</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }
    public required string Blake3 { get; init; }
    public required string Sha256 { get; init; }
    public required Guid StampId { get; init; }

    /// <summary>The record's leaf in the namespace log; null when it was not known yet.</summary>
    public long? LogIndex { get; init; }
}

/// <summary><c>onex-proofs.json</c>: each file's inclusion proof against the manifest's checkpoint.</summary>
public sealed record class ProofsFile
{
    // Settable rather than init-only: the generated JSON reader sets every init-only property, absent or not, which
    // would make a file without "version" read as 0 instead of this default.
    public int Version { get; set; } = 1;
    public required string Namespace { get; init; }

    /// <summary>The checkpoint every proof leads to: the manifest's.</summary>
    public required string Checkpoint { get; init; }

    public required IReadOnlyList<FileProof> Files { get; init; }
}

/// <summary>The audit path of one file's record (RFC 9162), byte strings in base64 as the service gives them.</summary>
public sealed record class FileProof
{
    public required string Path { get; init; }
    public required long LeafIndex { get; init; }
    public required long TreeSize { get; init; }
    public required string Leaf { get; init; }
    public required IReadOnlyList<string> Hashes { get; init; }
}
