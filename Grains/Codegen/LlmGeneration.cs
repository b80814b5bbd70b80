using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Codegen;

/// <summary>
/// The llm strategy (the model writes the whole package from the requirements and the plan) and the
/// refinement step of hybrid (the model improves the template's node.py). The model answers with
/// JSON <c>{"files": [{"path", "content"}]}</c>; only the package's own paths are taken.
/// </summary>
public sealed class LlmGeneration(ILanguageModel model, IOptions<CodegenOptions>? options = null)
{
    public bool Available => model.Available;

    /// <summary>The budget of a whole prompt, system text included (CODEGEN_LLM_PROMPT_TOKENS).</summary>
    int PromptTokens => options?.Value.LlmPromptTokens ?? new CodegenOptions().LlmPromptTokens;

    const string System = """
        You write ONEX v2.0 Python node packages for Python 3.11 using only the standard library.
        Answer with one JSON object and nothing else: {"files": [{"path": "...", "content": "..."}]}.
        Never use eval, exec, compile, os.system, subprocess, pickle or marshal, and never hard-code secrets.
        """;

    /// <summary>What the system text takes of every prompt's budget.</summary>
    public static int SystemTokens => PromptBudget.Tokens(System);

    /// <summary>A whole package written by the model.</summary>
    public async Task<IReadOnlyList<GeneratedFile>> GenerateAsync(NodePlan plan, CancellationToken cancellationToken = default) =>
        Files(await model.CompleteAsync(System, GenerationPrompt(plan, PromptTokens).Text, cancellationToken));

    /// <summary>
    /// What the model is asked, within <paramref name="budgetTokens"/> for the whole prompt (the system text included), by
    /// priority: the requirements and the package's shape first, then the patterns that suit the node (their code, the
    /// most relevant first), then the mixins, then an example handler.
    /// </summary>
    public static BudgetedPrompt GenerationPrompt(NodePlan plan, int budgetTokens)
    {
        var requirements = $"""
            Write the node package for these requirements:
            {Requirements(plan)}
            Files, exactly these paths: {string.Join(", ", PackageLayout.Files)}.
            node.py defines class {plan.ClassName} with async method {plan.ExecuteMethod}(self, request) taking a Model{plan.PascalName}Request
            (models/model_request.py) and returning a Model{plan.PascalName}Response (models/model_response.py), one handler _handle_<operation>
            per operation. contract.yaml has name, class_name, node_type and operations (a list of mappings with name).
            """;
        var matches = PatternCatalogue.ForRequirements(plan.Requirements).Where(m => m.RelevanceScore >= PatternCatalogue.ApplyThreshold).ToList();
        var patterns = string.Join("\n\n", matches.Select(m => $"""
            ### {m.Name} ({m.Category}, relevance {m.RelevanceScore.ToString("0.###", CultureInfo.InvariantCulture)})
            {m.Description}
            ```python
            {PatternCatalogue.Find(m.Name)!.Generate(plan).TrimEnd()}
            ```
            """));
        var mixins = string.Join("\n", plan.Mixins.Select(m => $"- Mixin{m}: give the node class this behaviour ({MixinRules.Purpose(m)})."));
        var sections = new List<PromptSection> { new("Requirements", 0, requirements) };
        if (matches.Count > 0) sections.Add(new("Production patterns to include (mix each class into the node and call its hooks)", 1, patterns));
        if (plan.Mixins.Count > 0) sections.Add(new("Mixins", 2, mixins));
        sections.Add(new("Example handler", 3, Example(plan)));
        return PromptBudget.Build(sections, Math.Max(1, budgetTokens - SystemTokens));
    }

    static string Example(NodePlan plan) => $$""""
        ```python
        async def _handle_{{plan.Operations[0].Name}}(self, payload: dict[str, Any]) -> dict[str, Any]:
            """Handle {{plan.Operations[0].Name}}: check the payload, do the work, return a JSON-able dict."""
            if not isinstance(payload, dict):
                raise TypeError("payload must be a dict")
            await asyncio.sleep(0)  # the real I/O or computation goes here
            return {"operation": "{{plan.Operations[0].Name}}", "fields": sorted(payload)}
        ```
        """";

    /// <summary>The template's package with node.py as the model improved it.</summary>
    public async Task<IReadOnlyList<GeneratedFile>> RefineAsync(NodePlan plan, IReadOnlyList<GeneratedFile> package, CancellationToken cancellationToken = default)
    {
        var node = package.Single(f => f.Path == "node.py");
        var user = $"""
            Improve the business logic of this generated node for the requirements below. Keep the class name {plan.ClassName},
            the method {plan.ExecuteMethod}, every _handle_<operation> method and the imports of the models. Answer with the file node.py only.
            Requirements:
            {Requirements(plan)}
            node.py:
            {node.Content}
            """;
        var refined = Files(await model.CompleteAsync(System, user, cancellationToken)).SingleOrDefault(f => f.Path == "node.py")
            ?? throw new LanguageModelException("the model's answer has no node.py");
        return [.. package.Select(f => f.Path == "node.py" ? refined : f)];
    }

    static string Requirements(NodePlan plan)
    {
        var r = plan.Requirements;
        return new JsonObject
        {
            ["node_type"] = r.NodeType,
            ["service_name"] = r.ServiceName,
            ["domain"] = r.Domain,
            ["business_description"] = r.BusinessDescription,
            ["operations"] = new JsonArray([.. plan.Operations.Select(o => (JsonNode)o.Name)]),
            ["features"] = new JsonArray([.. r.Features.Select(f => (JsonNode)f)]),
            ["variant"] = plan.Variant,
            ["mixins"] = new JsonArray([.. plan.Mixins.Select(m => (JsonNode)m)]),
            ["subcontracts"] = new JsonArray([.. plan.Subcontracts.Select(s => (JsonNode)s)]),
        }.ToJsonString();
    }

    /// <summary>The files of the model's answer (a JSON object, possibly in a Markdown code fence).</summary>
    static List<GeneratedFile> Files(string answer)
    {
        var start = answer.IndexOf('{');
        var end = answer.LastIndexOf('}');
        if (start < 0 || end <= start) throw new LanguageModelException("the model's answer is not a JSON object");
        try
        {
            using var document = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
            if (!document.RootElement.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
                throw new LanguageModelException("the model's answer has no files array");
            var result = new List<GeneratedFile>();
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.Object) continue;
                var path = file.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!.TrimStart('.', '/') : null;
                var content = file.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                // Only the package's own files: a path of the model's invention is never written anywhere.
                if (path is null || content is null || !PackageLayout.Files.Contains(path) || result.Any(f => f.Path == path)) continue;
                result.Add(new GeneratedFile(path, content));
            }
            return result.Count > 0 ? result : throw new LanguageModelException("the model's answer names none of the package's files");
        }
        catch (JsonException e)
        {
            throw new LanguageModelException("the model's answer is not valid JSON", e);
        }
    }
}
