using OmniBridge.Grains.Interfaces.Reducers;

namespace OmniBridge.Api.Stamping;

/// <summary>GET /namespace/{ns}: a page of stamps, newest first, and the reducer's aggregates.</summary>
public sealed record class NamespaceView
{
    public required string Namespace { get; init; }
    public required IReadOnlyList<StampRecordView> Stamps { get; init; }

    /// <summary>Pass as <c>cursor</c> for the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }

    public required AggregatesView Aggregates { get; init; }
}

/// <summary>The reducer's aggregates of a namespace (docs/architecture.md, "Reducers").</summary>
public sealed record class AggregatesView
{
    public required long TotalStamps { get; init; }
    public required long TotalSizeBytes { get; init; }
    public required Dictionary<string, long> ContentTypes { get; init; }
    public required int UniqueFileTypesCount { get; init; }
    public required int WorkflowsSeen { get; init; }
    public DateTime? FirstStampAt { get; init; }
    public DateTime? LastStampAt { get; init; }
    public required double MeanProcessingTimeMs { get; init; }
    public required SizeBucketsView SizeBuckets { get; init; }
    public required IReadOnlyList<MinuteCount> PerMinute { get; init; }

    public static AggregatesView From(NamespaceAggregates aggregates) => new()
    {
        TotalStamps = aggregates.TotalStamps,
        TotalSizeBytes = aggregates.TotalSizeBytes,
        ContentTypes = aggregates.ContentTypes,
        UniqueFileTypesCount = aggregates.UniqueFileTypesCount,
        WorkflowsSeen = aggregates.WorkflowsSeen,
        FirstStampAt = aggregates.FirstStampAt,
        LastStampAt = aggregates.LastStampAt,
        MeanProcessingTimeMs = aggregates.MeanProcessingTimeMs,
        SizeBuckets = new SizeBucketsView
        {
            Under1Kib = aggregates.SizeBuckets.Under1KiB,
            Under64Kib = aggregates.SizeBuckets.Under64KiB,
            Under1Mib = aggregates.SizeBuckets.Under1MiB,
            Under64Mib = aggregates.SizeBuckets.Under64MiB,
            Larger = aggregates.SizeBuckets.Larger,
        },
        PerMinute = aggregates.PerMinute,
    };
}

/// <summary>Stamp counts by size: under 1 KiB, 64 KiB, 1 MiB, 64 MiB, and larger.</summary>
public sealed record class SizeBucketsView
{
    [System.Text.Json.Serialization.JsonPropertyName("under_1kib")] public long Under1Kib { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("under_64kib")] public long Under64Kib { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("under_1mib")] public long Under1Mib { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("under_64mib")] public long Under64Mib { get; init; }
    public long Larger { get; init; }
}
