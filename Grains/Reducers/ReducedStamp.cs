namespace OmniBridge.Grains.Reducers;

/// <summary>What a namespace's aggregates need of one stamp record, as the store holds it.</summary>
/// <param name="FirstOfWorkflow">This stamp's workflow is one the namespace had not seen before (the ledger knows).</param>
public sealed record class ReducedStamp(
    Guid StampId, long FileSize, string ContentType, string? FilePath, DateTime CreatedAt, double ProcessingTimeMs, Guid? WorkflowId,
    bool FirstOfWorkflow = false);
