using System.Text.Json;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>
/// Builds each agent's context package (docs/runs.md, "Context packages") within the run's token budget, tokens
/// estimated as characters of the package's JSON / 4. Over budget, the lowest-priority parts go first: matched patterns
/// (weakest first), then the naming conventions, then the types of contracts reached only through others (farthest
/// first), then those of direct dependencies. The coordination metadata, the assignment and the limits always stay;
/// a budget too small for them is refused, so a package is never over budget.
/// </summary>
public static class ContextPackages
{
    /// <summary>The smallest budget a run accepts: room for the parts that always stay.</summary>
    public const int MinimumBudget = 500;

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Tokens of <paramref name="package"/> as an agent receives it.</summary>
    public static int Tokens(ContextPackage package) => (JsonSerializer.Serialize(package with { EstimatedTokens = 0, Dropped = [] }, Json).Length + 3) / 4;

    /// <summary>The names a contract's package defines (what its dependents' code refers to).</summary>
    public static UpstreamTypes TypesOf(string contract, NodeRequirements requirements, bool direct)
    {
        var pascal = Identifiers.ToPascal(requirements.ServiceName);
        return new UpstreamTypes
        {
            Contract = contract,
            NodeClass = $"Node{pascal}{Identifiers.ToPascal(requirements.NodeType)}",
            RequestModel = $"Model{pascal}Request",
            ResponseModel = $"Model{pascal}Response",
            DataModels = [.. requirements.DataModels.Select(m => "Model" + Identifiers.ToClassName(m.Name))],
            Direct = direct,
        };
    }

    /// <summary>
    /// The patterns matched for a contract: every catalogue pattern that applies to its node type, scored on its features
    /// and operations (docs/patterns.md), most relevant first, kind being the pattern's category.
    /// </summary>
    public static IReadOnlyList<MatchedPattern> PatternsOf(NodeRequirements requirements) =>
        [.. PatternCatalogue.ForRequirements(requirements).Select(m => new MatchedPattern(m.Name, m.Category, m.RelevanceScore))];

    /// <summary>The naming conventions the contract's files follow.</summary>
    public static IReadOnlyDictionary<string, string> NamingOf(string contract, NodeRequirements requirements)
    {
        var types = TypesOf(contract, requirements, direct: true);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["package"] = contract,
            ["node_class"] = types.NodeClass,
            ["request_model"] = types.RequestModel,
            ["response_model"] = types.ResponseModel,
            ["modules"] = "snake_case",
            ["classes"] = "PascalCase; nodes Node<Name><Type>, models Model<Name>",
            ["operation_handlers"] = "_handle_<operation>",
        };
    }

    /// <summary>The package of one agent, cut to <paramref name="budget"/> tokens.</summary>
    /// <exception cref="InvalidOperationException">The budget cannot hold even the parts that always stay.</exception>
    public static ContextPackage Build(ContextPackage full, int budget)
    {
        var package = full with { Limits = full.Limits with { TokenBudget = budget } };
        var dropped = new List<string>();
        var tokens = Tokens(package);
        while (tokens > budget)
        {
            if (package.Patterns.Count > 0)
            {
                dropped.Add($"patterns.{package.Patterns[^1].Name}");
                package = package with { Patterns = [.. package.Patterns.Take(package.Patterns.Count - 1)] };
            }
            else if (package.NamingConventions.Count > 0)
            {
                dropped.Add("naming_conventions");
                package = package with { NamingConventions = new Dictionary<string, string>() };
            }
            else if (package.TypeRegistry.Count > 0)
            {
                // Nearest first in the registry: the last indirect entry is the farthest; direct ones go last of all.
                var index = package.TypeRegistry.ToList().FindLastIndex(t => !t.Direct) is var i and >= 0 ? i : package.TypeRegistry.Count - 1;
                dropped.Add($"type_registry.{package.TypeRegistry[index].Contract}");
                package = package with { TypeRegistry = [.. package.TypeRegistry.Where((_, j) => j != index)] };
            }
            else throw new InvalidOperationException($"a context package needs {tokens} tokens for its metadata, assignment and limits; the budget is {budget}");
            tokens = Tokens(package);
        }
        return package with { EstimatedTokens = tokens, Dropped = dropped };
    }
}
