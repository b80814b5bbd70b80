namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>A request to stamp one piece of content in one namespace (docs/protocol.md, "Records and idempotency").</summary>
/// <remarks>Exactly one of <see cref="Text"/>, <see cref="Binary"/> and <see cref="Digest"/> is set.</remarks>
[GenerateSerializer, Immutable]
public sealed record class StampCommand
{
    [Id(0)] public required string Namespace { get; init; }

    /// <summary>Text content: the stamp covers its canonical form (docs/protocol.md, "Canonical content").</summary>
    [Id(1)] public string? Text { get; init; }

    /// <summary>Binary content: hashed as raw bytes, stamped detached.</summary>
    [Id(2)] public byte[]? Binary { get; init; }

    [Id(3)] public string? FilePath { get; init; }

    /// <summary>Media type of the content; defaults to text/plain or application/octet-stream.</summary>
    [Id(4)] public string? ContentType { get; init; }

    [Id(5)] public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>A JSON object, kept verbatim on the record.</summary>
    [Id(6)] public string? IntelligenceDataJson { get; init; }

    /// <summary>Informational operation id; generated when absent.</summary>
    [Id(7)] public Guid? OpId { get; init; }

    /// <summary>The form to write into text content (lightweight or rich); ignored for binary.</summary>
    [Id(8)] public StampType Form { get; init; } = StampType.Lightweight;

    /// <summary>The workflow stamping this content, if any; kept on the record it creates.</summary>
    [Id(9)] public Guid? WorkflowId { get; init; }

    /// <summary>Binary content hashed by the caller as it streamed in: stamped detached like <see cref="Binary"/>.</summary>
    [Id(10)] public ContentDigest? Digest { get; init; }

    /// <summary>
    /// Answer the stamped text in <see cref="StampOutcome.StampedPieces"/> rather than joined in
    /// <see cref="StampOutcome.StampedContent"/>: the caller writes the pieces into its answer.
    /// </summary>
    [Id(11)] public bool StampedInPieces { get; init; }
}
