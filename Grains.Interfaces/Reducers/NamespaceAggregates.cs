namespace OmniBridge.Grains.Interfaces.Reducers;

/// <summary>What the reducer knows about one namespace (docs/architecture.md, "Reducers").</summary>
[GenerateSerializer, Immutable]
public sealed record class NamespaceAggregates
{
    [Id(0)] public required string Namespace { get; init; }
    [Id(1)] public long TotalStamps { get; init; }
    [Id(2)] public long TotalSizeBytes { get; init; }

    /// <summary>Number of stamps per content type.</summary>
    [Id(3)] public Dictionary<string, long> ContentTypes { get; init; } = [];

    /// <summary>Distinct file extensions among the stamps' file paths.</summary>
    [Id(4)] public int UniqueFileTypesCount { get; init; }

    [Id(5)] public int WorkflowsSeen { get; init; }
    [Id(6)] public DateTime? FirstStampAt { get; init; }
    [Id(7)] public DateTime? LastStampAt { get; init; }
    [Id(8)] public double MeanProcessingTimeMs { get; init; }
    [Id(9)] public required SizeBuckets SizeBuckets { get; init; }

    /// <summary>Stamps created per minute over the last 60 minutes, oldest first; minutes with none are left out.</summary>
    [Id(10)] public IReadOnlyList<MinuteCount> PerMinute { get; init; } = [];
}

/// <summary>Stamp counts by content size.</summary>
[GenerateSerializer, Immutable]
public sealed record class SizeBuckets
{
    [Id(0)] public long Under1KiB { get; init; }
    [Id(1)] public long Under64KiB { get; init; }
    [Id(2)] public long Under1MiB { get; init; }
    [Id(3)] public long Under64MiB { get; init; }
    [Id(4)] public long Larger { get; init; }
}

/// <summary>Stamps created in one UTC minute.</summary>
[GenerateSerializer, Immutable]
public sealed record class MinuteCount
{
    [Id(0)] public required DateTime Minute { get; init; }
    [Id(1)] public required long Count { get; init; }
}
