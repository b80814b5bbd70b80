using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>A stamp record as the API shows it (docs/protocol.md, "Records and idempotency").</summary>
public record class StampRecordView
{
    public required Guid StampId { get; init; }
    public required string FileHash { get; init; }
    public required string Namespace { get; init; }
    public string? FilePath { get; init; }
    public required long FileSize { get; init; }
    public required string ContentType { get; init; }
    public required StampType StampType { get; init; }
    public required string Stamp { get; init; }
    public required Guid OpId { get; init; }
    public required int Version { get; init; }
    public required string MetadataVersion { get; init; }
    public required string ProtocolVersion { get; init; }
    public required JsonElement IntelligenceData { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public required DateTime CreatedAt { get; init; }

    /// <summary>The workflow that created the record, if one did.</summary>
    public Guid? WorkflowId { get; init; }

    /// <summary>SHA-256 of the bytes file_hash hashes (docs/transparency.md, "Records").</summary>
    public required string? Sha256 { get; init; }

    /// <summary>The record's leaf in its namespace's transparency log; null until integrated.</summary>
    public required long? LogIndex { get; init; }

    /// <summary>The <c>{}</c> most records carry, parsed once (an element of a document never disposed is safe to share).</summary>
    static readonly JsonElement NoIntelligence = JsonDocument.Parse(StampRecord.NoIntelligenceData).RootElement;

    public static StampRecordView From(StampRecord record) => new()
    {
        StampId = record.StampId,
        FileHash = record.FileHash,
        Namespace = record.Namespace,
        FilePath = record.FilePath,
        FileSize = record.FileSize,
        ContentType = record.ContentType,
        StampType = record.StampType,
        Stamp = record.Stamp,
        OpId = record.OpId,
        Version = record.Version,
        MetadataVersion = record.MetadataVersion,
        ProtocolVersion = record.ProtocolVersion,
        IntelligenceData = record.IntelligenceDataJson == StampRecord.NoIntelligenceData ? NoIntelligence : JsonSerializer.Deserialize<JsonElement>(record.IntelligenceDataJson),
        Metadata = record.Metadata,
        CreatedAt = record.CreatedAt,
        WorkflowId = record.WorkflowId,
        Sha256 = record.Sha256,
        LogIndex = record.LogIndex,
    };
}

/// <summary>POST /stamp: the record, the content carrying its stamp, and whether this call created it.</summary>
public sealed record class StampView : StampRecordView
{
    [SetsRequiredMembers]
    StampView(StampRecordView record) : base(record) { }

    /// <summary>The text with exactly one valid stamp; null for binary content.</summary>
    // Written from its pieces one after the other (StampedPiecesConverter), never joined: joined,
    // the text was a copy of the content made for the answer alone.
    [JsonConverter(typeof(StampedPiecesConverter))]
    public StampedPieces? StampedContent { get; init; }

    public bool Created { get; init; }
    public PerformanceMetrics? PerformanceMetrics { get; init; }

    public static StampView From(StampOutcome outcome, double executionTimeMs) => new(From(outcome.Record))
    {
        StampedContent = outcome.StampedTextPieces(),
        Created = outcome.Created,
        PerformanceMetrics = PerformanceMetrics.Of(executionTimeMs, outcome.HashTimeMs, outcome.Record.FileSize),
    };
}

/// <summary>How long a request took, how long hashing took, and the grade of the hashing time.</summary>
public sealed record class PerformanceMetrics
{
    public required double ExecutionTimeMs { get; init; }
    public required double HashTimeMs { get; init; }
    public required long FileSizeBytes { get; init; }

    /// <summary>A under 1 ms of hashing, B under 2 ms, else C (docs/protocol.md, "The REST API").</summary>
    public required string PerformanceGrade { get; init; }

    public static PerformanceMetrics Of(double executionTimeMs, double hashTimeMs, long size) => new()
    {
        ExecutionTimeMs = executionTimeMs,
        HashTimeMs = hashTimeMs,
        FileSizeBytes = size,
        PerformanceGrade = Grade(hashTimeMs),
    };

    public static string Grade(double hashTimeMs) => hashTimeMs < 1 ? "A" : hashTimeMs < 2 ? "B" : "C";
}

/// <summary>POST /hash.</summary>
public sealed record class HashView
{
    public required string FileHash { get; init; }
    public required long FileSizeBytes { get; init; }

    /// <summary>The whole request, reading the body included.</summary>
    public required double ExecutionTimeMs { get; init; }

    /// <summary>Hashing alone; the grade is based on this.</summary>
    public required double HashTimeMs { get; init; }

    public required string PerformanceGrade { get; init; }
}

/// <summary>POST /validate (docs/protocol.md, "Validation").</summary>
public sealed record class ValidationView
{
    public required bool IsValid { get; init; }
    public required int StampsFound { get; init; }
    public required string CurrentHash { get; init; }
    public string? Reason { get; init; }
    public required IReadOnlyList<StampCheck> ValidationResults { get; init; }

    public static ValidationView From(ValidationReport report) => new()
    {
        IsValid = report.IsValid,
        StampsFound = report.StampsFound,
        CurrentHash = report.CurrentHash,
        Reason = report.Reason,
        ValidationResults = report.Results,
    };
}

/// <summary>POST /validate-protocol.</summary>
public sealed record class ProtocolValidationView(ProtocolValidationReport ValidationResult);

/// <summary>POST /batch, as the API documents it; <see cref="BatchAnswer"/> writes it as the batch is stamped.</summary>
public sealed record class BatchView
{
    public required Guid BatchId { get; init; }
    public required int TotalItems { get; init; }
    public required int SuccessfulItems { get; init; }
    public required int FailedItems { get; init; }
    public required IReadOnlyList<BatchItemView> Results { get; init; }
    public required double ProcessingTimeMs { get; init; }
}

/// <summary>The result of one batch item, in the order given.</summary>
public sealed record class BatchItemView
{
    public required string Id { get; init; }
    public required bool Success { get; init; }
    public Guid? StampId { get; init; }
    public string? FileHash { get; init; }
    public bool? Created { get; init; }
    public string? Stamp { get; init; }

    /// <summary>The content with its stamp; null for bytes (stamped detached).</summary>
    // Written from the outcome's pieces one after the other, never joined: joined, a copy of every
    // item's content would be made for one answer.
    [JsonConverter(typeof(StampedPiecesConverter))]
    public StampedPieces? StampedContent => Outcome?.StampedTextPieces();

    public BatchItemError? Error { get; init; }

    /// <summary>The item's outcome, when it was stamped (not written as such).</summary>
    [JsonIgnore]
    public StampOutcome? Outcome { get; init; }
}

/// <summary>Why one batch item failed: the code /stamp would have given.</summary>
public sealed record class BatchItemError(string Code, string? Field, string Message);
