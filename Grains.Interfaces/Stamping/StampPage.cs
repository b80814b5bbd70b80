namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>A position in a namespace's listing, ordered by (created_at, stamp_id) descending.</summary>
[GenerateSerializer, Immutable]
public sealed record class StampCursor
{
    [Id(0)] public required DateTime CreatedAt { get; init; }
    [Id(1)] public required Guid StampId { get; init; }

    /// <summary>The cursor just after <paramref name="record"/>.</summary>
    public static StampCursor After(StampRecord record) => new() { CreatedAt = record.CreatedAt, StampId = record.StampId };
}

/// <summary>One page of a namespace's stamps, newest first.</summary>
[GenerateSerializer, Immutable]
public sealed record class StampPage
{
    [Id(0)] public required IReadOnlyList<StampRecord> Records { get; init; }

    /// <summary>Where the next page starts; null on the last page.</summary>
    [Id(1)] public StampCursor? Next { get; init; }
}
