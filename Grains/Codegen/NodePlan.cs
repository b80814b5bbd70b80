using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The requirements read as a node (the "parsed contract"): its names, variant, mixins, subcontracts
/// and operations as identifiers. Deterministic: the same requirements always give the same plan,
/// so any worker on any silo renders the same package.
/// </summary>
public sealed record class NodePlan
{
    public required NodeRequirements Requirements { get; init; }
    public required string PascalName { get; init; }
    /// <summary>Node&lt;PascalName&gt;&lt;Type&gt;, the ONEX v2.0 class name.</summary>
    public required string ClassName { get; init; }
    public required string Variant { get; init; }
    public required IReadOnlyDictionary<string, int> VariantScores { get; init; }
    public required IReadOnlyList<string> Mixins { get; init; }
    public required IReadOnlyList<string> Subcontracts { get; init; }
    /// <summary>The production patterns the node carries (docs/patterns.md), in catalogue order.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];
    /// <summary>Each operation as given and as a Python identifier.</summary>
    public required IReadOnlyList<(string Given, string Name)> Operations { get; init; }

    /// <summary>The model types of the contracts a run's contract depends on (none outside a run): its request model names them.</summary>
    public IReadOnlyList<UpstreamTypes> Upstream { get; init; } = [];

    public string NodeType => Requirements.NodeType;

    /// <summary>The node's main method, by node type.</summary>
    public string ExecuteMethod => ExecuteMethodOf(NodeType);

    /// <summary>The main method of a node of <paramref name="nodeType"/>.</summary>
    public static string ExecuteMethodOf(string nodeType) => nodeType switch
    {
        "effect" => "execute_effect",
        "compute" => "execute_compute",
        "reducer" => "execute_reduction",
        _ => "execute_orchestration",
    };

    /// <summary>Plans a node from requirements already checked by <see cref="RequirementsRules"/>.</summary>
    public static NodePlan For(NodeRequirements requirements)
    {
        var pascal = Identifiers.ToPascal(requirements.ServiceName);
        var (variant, scores) = VariantSelection.Choose(requirements);
        return new NodePlan
        {
            Requirements = requirements,
            PascalName = pascal,
            ClassName = $"Node{pascal}{Identifiers.ToPascal(requirements.NodeType)}",
            Variant = variant,
            VariantScores = scores,
            Mixins = requirements.Mixins is { } asked ? [.. MixinRules.All.Where(asked.Contains)] : MixinRules.Recommend(requirements),
            Subcontracts = Codegen.Subcontracts.For(requirements, variant),
            Operations = [.. requirements.Operations.Select(o => (o, Identifiers.ToSnake(o)!))],
            Patterns = PatternCatalogue.Selected(requirements),
        };
    }
}
