using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces.Reducers;

/// <summary>A stamp record was created: the event a namespace's reducer folds into its aggregates.</summary>
[GenerateSerializer, Immutable]
public sealed record class StampCreated
{
    [Id(0)] public required StampRecord Record { get; init; }

    /// <summary>How long stamping took, from canonicalising to storing.</summary>
    [Id(1)] public required double ProcessingTimeMs { get; init; }

    /// <summary>The workflow that created the stamp, if any.</summary>
    [Id(2)] public Guid? WorkflowId { get; init; }
}
