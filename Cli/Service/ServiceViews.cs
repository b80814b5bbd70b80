namespace OmniBridge.Cli.Service;

/// <summary>The fields of a stamp record the client uses (docs/protocol.md, "Records and idempotency").</summary>
public sealed record class RecordView
{
    public required Guid StampId { get; init; }
    public required string FileHash { get; init; }
    public required string Namespace { get; init; }
    public required long FileSize { get; init; }
    public string? Sha256 { get; init; }
    public long? LogIndex { get; init; }
    public bool Created { get; init; }
    public string? StampedContent { get; init; }
}

/// <summary>One result of POST /batch, in the order of the items.</summary>
public sealed record class BatchResultView
{
    public required string Id { get; init; }
    public required bool Success { get; init; }
    public Guid? StampId { get; init; }
    public string? FileHash { get; init; }
    public bool? Created { get; init; }
    public BatchErrorView? Error { get; init; }
}

public sealed record class BatchErrorView(string Code, string? Field, string Message);

/// <summary>GET /proof/inclusion, byte strings in base64.</summary>
public sealed record class InclusionView
{
    public required long LeafIndex { get; init; }
    public required long TreeSize { get; init; }
    public required string Leaf { get; init; }
    public required IReadOnlyList<string> Hashes { get; init; }
    public required string Checkpoint { get; init; }
}

/// <summary>GET /proof/consistency.</summary>
public sealed record class ConsistencyView(long From, long To, IReadOnlyList<string> Hashes);

/// <summary>A file's bytes for one item of a batch.</summary>
public sealed record class BatchUpload(string Id, ReadOnlyMemory<byte> Bytes, string? FilePath);

/// <summary>The body of POST /stamp for text.</summary>
public sealed record class StampTextRequest(string Content, string Namespace, string? FilePath);
