using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces.Workflows;

/// <summary>What a stamping workflow is asked to do: stamp these items in this namespace.</summary>
[GenerateSerializer, Immutable]
public sealed record class WorkflowRequest
{
    [Id(0)] public required string Namespace { get; init; }
    [Id(1)] public required IReadOnlyList<StampCommand> Items { get; init; }

    /// <summary>Run the optional intelligence step; its failure only marks it degraded.</summary>
    [Id(2)] public bool EnableIntelligence { get; init; }
}
