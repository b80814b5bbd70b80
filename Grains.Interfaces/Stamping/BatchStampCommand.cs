namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>Many stamp commands stored in one round trip; duplicates return the existing record.</summary>
[GenerateSerializer, Immutable]
public sealed record class BatchStampCommand
{
    [Id(0)] public required Guid BatchId { get; init; }
    [Id(1)] public required IReadOnlyList<StampCommand> Items { get; init; }
}
