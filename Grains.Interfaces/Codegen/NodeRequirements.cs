namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>What a node is for (docs/protocol.md, "Code generation"): the requirements a node package is generated from.</summary>
[GenerateSerializer, Immutable]
public sealed record class NodeRequirements
{
    /// <summary>effect, compute, reducer or orchestrator.</summary>
    [Id(0)] public string NodeType { get; init; } = "";
    /// <summary>snake_case; names the package and, in PascalCase, the node class.</summary>
    [Id(1)] public string ServiceName { get; init; } = "";
    [Id(2)] public string Domain { get; init; } = "";
    [Id(3)] public string BusinessDescription { get; init; } = "";
    [Id(4)] public IReadOnlyList<string> Operations { get; init; } = [];
    [Id(5)] public IReadOnlyList<string> Features { get; init; } = [];
    /// <summary>Python package name to version specifier.</summary>
    [Id(6)] public IReadOnlyDictionary<string, string> Dependencies { get; init; } = new Dictionary<string, string>();
    [Id(7)] public IReadOnlyDictionary<string, string> PerformanceRequirements { get; init; } = new Dictionary<string, string>();
    [Id(8)] public IReadOnlyList<DataModelSpec> DataModels { get; init; } = [];
    /// <summary>Mixins asked for by name; none: the generator recommends them.</summary>
    [Id(9)] public IReadOnlyList<string>? Mixins { get; init; }
}

/// <summary>A data model of the node's domain: its name and its fields' names and types.</summary>
[GenerateSerializer, Immutable]
public sealed record class DataModelSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<DataFieldSpec> Fields);

[GenerateSerializer, Immutable]
public sealed record class DataFieldSpec([property: Id(0)] string Name, [property: Id(1)] string Type);
