namespace OmniBridge.Grains.Reducers;

/// <summary>What a namespace's aggregates need of one stamp record, as the store holds it.</summary>
public sealed record class ReducedStamp(Guid StampId, long FileSize, string ContentType, string? FilePath, DateTime CreatedAt, double ProcessingTimeMs, Guid? WorkflowId);
