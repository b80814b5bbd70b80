using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>
/// The contracts of a run as a dependency graph (docs/runs.md, "Submission"): checked once, when the run is submitted —
/// names, known dependencies, no cycle (a cycle is refused with its path) — then asked which contracts a contract
/// needs, directly or through others.
/// </summary>
public sealed class RunGraph
{
    public const int MaxContracts = 50;
    public static readonly IReadOnlyList<string> GateTypes = ["quality_gate"];

    readonly Dictionary<string, RunContract> byName;
    readonly Dictionary<string, IReadOnlyList<string>> upstream = [];

    RunGraph(IReadOnlyList<RunContract> contracts) => byName = contracts.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The graph of <paramref name="request"/>'s contracts.</summary>
    /// <exception cref="CodegenRequestException">Every problem found, VALIDATION_ERROR.</exception>
    public static RunGraph Of(RunRequest request)
    {
        var problems = Check(request).ToList();
        if (problems.Count > 0) throw new CodegenRequestException(ErrorCodes.ValidationError, problems);
        return new RunGraph(request.Contracts);
    }

    static IEnumerable<RequirementProblem> Check(RunRequest request)
    {
        var contracts = request.Contracts;
        if (contracts.Count is 0 or > MaxContracts)
        {
            yield return new RequirementProblem("contracts", $"a run has 1 to {MaxContracts} contracts, not {contracts.Count}");
            yield break;
        }
        if (!CodegenStrategies.All.Contains(request.Strategy))
            yield return new RequirementProblem("strategy", $"expected one of {string.Join(", ", CodegenStrategies.All)}");
        if (ValidationLevels.Rank(request.ValidationLevel) < 0)
            yield return new RequirementProblem("validation_level", $"expected one of {string.Join(", ", ValidationLevels.All)}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < contracts.Count; i++)
        {
            var c = contracts[i];
            if (!Identifiers.IsSnakeCase(c.Name) || c.Name.Length > 100 || Identifiers.IsReserved(c.Name))
                yield return new RequirementProblem($"contracts[{i}].name", $"'{c.Name}' is not a snake_case name (at most 100 characters, not a Python keyword)");
            else if (!names.Add(c.Name)) yield return new RequirementProblem($"contracts[{i}].name", $"'{c.Name}' names two contracts");
            if (c.Priority is < 0 or > 100) yield return new RequirementProblem($"contracts[{i}].priority", "expected 0 to 100");
            for (var g = 0; g < c.Gates.Count; g++)
            {
                if (!GateTypes.Contains(c.Gates[g].Type)) yield return new RequirementProblem($"contracts[{i}].gates[{g}].type", "expected quality_gate");
                if (c.Gates[g].Threshold is < 0 or > 1 || double.IsNaN(c.Gates[g].Threshold))
                    yield return new RequirementProblem($"contracts[{i}].gates[{g}].threshold", "expected 0 to 1");
            }
        }
        for (var i = 0; i < contracts.Count; i++)
        {
            var c = contracts[i];
            foreach (var dependency in c.DependsOn)
            {
                if (dependency == c.Name) yield return new RequirementProblem($"contracts[{i}].depends_on", $"'{c.Name}' depends on itself (cycle {c.Name} -> {c.Name})");
                else if (!names.Contains(dependency)) yield return new RequirementProblem($"contracts[{i}].depends_on", $"'{dependency}' is not a contract of this run");
            }
            if (c.DependsOn.Distinct(StringComparer.Ordinal).Count() != c.DependsOn.Count)
                yield return new RequirementProblem($"contracts[{i}].depends_on", "a dependency is named twice");
        }
        foreach (var rule in request.RoutingRules.Select((r, i) => (r, i)))
            foreach (var problem in RunRouter.Check(rule.r)) yield return new RequirementProblem($"routing_rules[{rule.i}].{problem.Field}", problem.Message);
        if (FindCycle(contracts) is { } cycle)
            yield return new RequirementProblem("contracts", $"the dependencies form a cycle: {string.Join(" -> ", cycle)}");
    }

    /// <summary>The path of one cycle (its first contract repeated at the end), or null; self-dependencies are reported apart.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyList<RunContract> contracts)
    {
        var edges = contracts.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().DependsOn, StringComparer.Ordinal);
        var colour = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        IReadOnlyList<string>? Visit(string name)
        {
            colour[name] = 1;
            path.Add(name);
            foreach (var next in edges[name].Where(edges.ContainsKey).Where(n => n != name))
            {
                if (colour.GetValueOrDefault(next) == 1) return [.. path[path.IndexOf(next)..], next];
                if (colour.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            colour[name] = 2;
            return null;
        }

        foreach (var name in edges.Keys)
            if (colour.GetValueOrDefault(name) == 0 && Visit(name) is { } cycle) return cycle;
        return null;
    }

    public RunContract this[string name] => byName[name];

    /// <summary>Every contract <paramref name="name"/> needs, directly or through others, nearest first.</summary>
    public IReadOnlyList<string> Upstream(string name)
    {
        if (upstream.TryGetValue(name, out var known)) return known;
        var seen = new List<string>();
        var queue = new Queue<string>(byName[name].DependsOn);
        while (queue.TryDequeue(out var next))
        {
            if (seen.Contains(next)) continue;
            seen.Add(next);
            foreach (var further in byName[next].DependsOn) queue.Enqueue(further);
        }
        return upstream[name] = seen;
    }

    /// <summary>The contracts that need <paramref name="name"/> directly.</summary>
    public IEnumerable<string> Dependents(string name) => byName.Values.Where(c => c.DependsOn.Contains(name)).Select(c => c.Name);
}
