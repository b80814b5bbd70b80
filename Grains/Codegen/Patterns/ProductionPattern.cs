namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>
/// One production pattern of the catalogue (docs/patterns.md): what it is, which nodes it suits, the words it answers to,
/// and its generator, which writes the Python a generated node carries: a mixin class <see cref="Mixin"/> (and whatever
/// it needs beside it) whose <see cref="Hooks"/> node.py calls. The code uses the standard library only.
/// </summary>
public abstract class ProductionPattern
{
    /// <summary>snake_case, unique in the catalogue; also the suffix of the hook methods.</summary>
    public abstract string Name { get; }
    public abstract string Category { get; }
    public abstract string Description { get; }
    public abstract IReadOnlyList<string> NodeTypes { get; }
    /// <summary>The words the pattern answers to (the name's words count as well).</summary>
    public abstract IReadOnlyList<string> Tags { get; }
    /// <summary>Other names that name the pattern (the original's, e.g. consul_integration).</summary>
    public virtual IReadOnlyList<string> Aliases => [];
    public abstract PatternHooks Hooks { get; }
    /// <summary>Among the wrappers, lower is nearer the handler (retry inside the circuit breaker inside error handling).</summary>
    public virtual int WrapOrder => 0;
    /// <summary>Standard-library import lines the code needs beyond what node.py always imports.</summary>
    public virtual IReadOnlyList<string> ImportLines => [];

    /// <summary>The mixin class the node inherits.</summary>
    public string Mixin => "Pattern" + Identifiers.ToPascal(Name);

    public bool AppliesTo(string nodeType) => NodeTypes.Contains(nodeType, StringComparer.Ordinal);

    /// <summary>The module-level Python of the pattern for the node <paramref name="plan"/> describes.</summary>
    public abstract string Generate(NodePlan plan);

    protected static readonly IReadOnlyList<string> EveryNodeType = ["effect", "compute", "reducer", "orchestrator"];
}
