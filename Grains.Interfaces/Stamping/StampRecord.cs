namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>The stored record of a stamp, unique per (namespace, file hash) (docs/protocol.md, "Records and idempotency").</summary>
[GenerateSerializer, Immutable]
public sealed record class StampRecord
{
    [Id(0)] public required Guid StampId { get; init; }
    [Id(1)] public required string FileHash { get; init; }
    [Id(2)] public required string Namespace { get; init; }
    [Id(3)] public string? FilePath { get; init; }
    [Id(4)] public required long FileSize { get; init; }
    [Id(5)] public required string ContentType { get; init; }
    [Id(6)] public required StampType StampType { get; init; }

    /// <summary>The stamp text in the record's own form (the lightweight line for detached records).</summary>
    [Id(7)] public required string Stamp { get; init; }

    [Id(8)] public required Guid OpId { get; init; }
    [Id(9)] public int Version { get; init; } = 1;
    [Id(10)] public required string MetadataVersion { get; init; }
    [Id(11)] public required string ProtocolVersion { get; init; }

    /// <summary>A JSON object as text; <see cref="NoIntelligenceData"/> when none was given.</summary>
    [Id(12)] public string IntelligenceDataJson { get; init; } = NoIntelligenceData;

    /// <summary>The intelligence data of a record given none: the empty object, as text.</summary>
    public const string NoIntelligenceData = "{}";

    [Id(13)] public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>UTC, millisecond precision: the instant written into the stamp's timestamp.</summary>
    [Id(14)] public required DateTime CreatedAt { get; init; }

    /// <summary>The workflow that created the record, when one did.</summary>
    [Id(15)] public Guid? WorkflowId { get; init; }

    /// <summary>How long canonicalising, hashing and building the stamp took, in milliseconds.</summary>
    [Id(16)] public double ProcessingTimeMs { get; init; }

    /// <summary>
    /// SHA-256 of the bytes <see cref="FileHash"/> hashes, as 64 lowercase hex characters, so
    /// that tools accepting only SHA-2 can cite the record (docs/transparency.md, "Records");
    /// null only for a record stored before the service computed it.
    /// </summary>
    [Id(17)] public string? Sha256 { get; init; }

    /// <summary>The record's leaf index in its namespace's transparency log: null until integrated, then fixed.</summary>
    [Id(18)] public long? LogIndex { get; init; }
}
