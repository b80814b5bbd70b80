using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// The mixin step (docs/codegen-events.md, "Responses": mixin): <see cref="MixinRules"/> on the requirements' text and the node type. The mixins
/// the rules call for that the node does not have yet are recommended (action add, with the mixin they are a prerequisite of,
/// if any); mixins the node has that the rules reject (unknown, a conflict, a missing prerequisite) are recommended for removal
/// or completion (action remove or add_prerequisite).
/// </summary>
public static class MixinAdvice
{
    public static JsonArray Recommend(IReadOnlyList<string> requirementTexts, string nodeType, IReadOnlyList<string> existing)
    {
        var requirements = new NodeRequirements { NodeType = nodeType, BusinessDescription = string.Join(". ", requirementTexts), Features = requirementTexts };
        var recommended = MixinRules.Recommend(requirements);
        var advice = new JsonArray();
        foreach (var mixin in recommended.Where(m => !existing.Contains(m)))
        {
            var dependents = recommended.Where(d => PrerequisiteOf(d) == mixin).ToList();
            advice.Add(new JsonObject
            {
                ["mixin"] = mixin,
                ["action"] = "add",
                ["reason"] = dependents.Count > 0 ? $"{string.Join(", ", dependents)} needs it" : $"the requirements of this {nodeType} node call for it",
                ["priority"] = advice.Count + 1,
            });
        }
        var existingProblems = MixinRules.Check(existing, requirements).ToList();
        foreach (var problem in existingProblems)
        {
            var index = int.Parse(problem.Field[(problem.Field.IndexOf('[', StringComparison.Ordinal) + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            advice.Add(new JsonObject
            {
                ["mixin"] = existing[index],
                ["action"] = problem.Message.Contains("needs", StringComparison.Ordinal) ? "add_prerequisite" : "remove",
                ["reason"] = problem.Message,
                ["priority"] = advice.Count + 1,
            });
        }
        return advice;
    }

    static string? PrerequisiteOf(string mixin) => mixin switch
    {
        MixinRules.CircuitBreaker => MixinRules.Retry,
        MixinRules.Security => MixinRules.Validation,
        _ => null,
    };
}
