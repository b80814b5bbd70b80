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
    /// <see cref="StampOutcome.StampedContent"/>: the caller joins each as it writes its answer.
    /// </summary>
    [Id(4)] public bool StampedInPieces { get; init; }
}
