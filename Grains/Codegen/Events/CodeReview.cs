using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// The package validation's rules on one node's code (docs/codegen-events.md, "Responses": validate): syntax is python3's py_compile;
/// semantic adds the ONEX structure (a class Node&lt;Name&gt;&lt;Type&gt; of the requested node type with its async execute
/// method); compliance is the structure, each contract's operations handled and the strict level's security rules; full is all of them.
/// </summary>
public sealed partial class CodeReview(PythonSyntax python)
{
    public sealed record class Check(string Name, bool Passed, string Detail, bool Onex);

    public sealed record class Review(IReadOnlyList<Check> Checks, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings,
        double QualityScore, double OnexComplianceScore, bool IsValid);

    [GeneratedRegex(@"(?m)^class\s+(Node[A-Z][A-Za-z0-9]*?(Effect|Compute|Reducer|Orchestrator))\b")]
    private static partial Regex NodeClass();

    public async Task<Review> ReviewAsync(string code, string nodeType, IReadOnlyList<JsonObject> contracts, string validationType, CancellationToken cancellationToken = default)
    {
        var checks = new List<Check>();
        var warnings = new List<string>();
        var file = new GeneratedFile("node.py", code);
        var syntax = validationType is "syntax" or "semantic" or "full";
        var structure = validationType is not "syntax";
        var compliance = validationType is "compliance" or "full";
        if (syntax)
        {
            var (errors, ran) = await python.CheckAsync([file], cancellationToken);
            if (!ran) warnings.Add("python3 is not available here: the code was not compiled (py_compile)");
            checks.Add(new Check("syntax", errors.Count == 0, errors.Count == 0 ? "compiles" : string.Join("; ", errors), Onex: false));
        }
        if (structure)
        {
            var type = char.ToUpperInvariant(nodeType[0]) + nodeType[1..];
            var classes = NodeClass().Matches(code).Select(m => (Name: m.Groups[1].Value, Type: m.Groups[2].Value)).ToList();
            checks.Add(new Check("node_class", classes.Count > 0,
                classes.Count > 0 ? $"class {classes[0].Name}" : "no class named Node<Name><Type>", Onex: true));
            checks.Add(new Check("node_type", classes.Any(c => c.Type == type),
                classes.Any(c => c.Type == type) ? $"a {nodeType} node" : $"no Node...{type} class for a {nodeType} node", Onex: true));
            var execute = NodePlan.ExecuteMethodOf(nodeType);
            var hasExecute = Regex.IsMatch(code, $@"(?m)^\s+async def {execute}\(");
            checks.Add(new Check("execute_method", hasExecute, hasExecute ? $"async def {execute}" : $"no async method {execute} for a {nodeType} node", Onex: true));
        }
        if (compliance)
        {
            foreach (var (contract, i) in contracts.Select((c, i) => (c, i)))
            {
                var name = contract["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : $"contracts[{i}]";
                var missing = Operations(contract).Where(op => !code.Contains($"_handle_{op}", StringComparison.Ordinal) && !Regex.IsMatch(code, $@"\bdef {Regex.Escape(op)}\(")).ToList();
                checks.Add(new Check($"contract:{name}", missing.Count == 0,
                    missing.Count == 0 ? "every operation is handled" : "no handler for " + string.Join(", ", missing), Onex: true));
            }
            var security = PackageValidation.Security([file]).ToList();
            checks.Add(new Check("security", security.Count == 0, security.Count == 0 ? "nothing unsafe found" : string.Join("; ", security), Onex: true));
        }
        var failures = checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToList();
        var onex = checks.Where(c => c.Onex).ToList();
        return new Review(checks, failures, warnings,
            QualityScore: Math.Round(Math.Max(0, 1 - 0.25 * failures.Count - 0.05 * warnings.Count), 3),
            OnexComplianceScore: onex.Count == 0 ? 1 : Math.Round((double)onex.Count(c => c.Passed) / onex.Count, 3),
            IsValid: failures.Count == 0);
    }

    /// <summary>A contract's operations as identifiers: strings, or objects with a name.</summary>
    static IEnumerable<string> Operations(JsonObject contract) => contract["operations"] is JsonArray list
        ? list.Select(o => o is JsonObject named ? named["name"]?.ToString() : o is JsonValue v && v.TryGetValue<string>(out var s) ? s : null)
            .OfType<string>().Select(Identifiers.ToSnake).OfType<string>()
        : [];
}
