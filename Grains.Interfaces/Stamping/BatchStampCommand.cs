namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>Many stamp commands stored in one round trip; duplicates return the existing record.</summary>
[GenerateSerializer, Immutable]
public sealed record class BatchStampCommand
{
    [Id(0)] public required Guid BatchId { get; init; }
    [Id(1)] public required IReadOnlyList<StampCommand> Items { get; init; }

    /// <summary>The batch's own namespace (its items may name others), for the batch-processed event.</summary>
    [Id(2)] public string? Namespace { get; init; }

    /// <summary>Items the caller refused before sending the rest, so the batch-processed event counts the whole batch.</summary>
    [Id(3)] public int RefusedItems { get; init; }

    /// <summary>
    /// Answer each stamped text in <see cref="StampOutcome.StampedPieces"/> rather than joined in
    /// <see cref="StampOutcome.StampedContent"/>: the caller writes the pieces into its answer.
    /// </summary>
    [Id(4)] public bool StampedInPieces { get; init; }

    /// <summary>
    /// Sent in parts (the API stamps a large batch a part at a time, answering each before it reads
    /// the next), what the earlier parts held; none for the first part or a whole batch.
    /// </summary>
    [Id(5)] public BatchSoFar Earlier { get; init; }

    /// <summary>More parts of this batch follow: its batch-processed event waits for the last.</summary>
    [Id(6)] public bool MoreToCome { get; init; }
}

/// <summary>The items of a batch's earlier parts, those stamped among them, and the time they took.</summary>
[GenerateSerializer, Immutable]
public readonly record struct BatchSoFar(
    [property: Id(0)] int Items,
    [property: Id(1)] int Stamped,
    [property: Id(2)] double ProcessingTimeMs);
