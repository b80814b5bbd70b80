using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// The workflow intelligence step on a chat model (docs/intelligence.md, "Workflow intelligence"): each item is shown to
/// the model, all at once, and its answer, a JSON object (alone or in a Markdown fence), becomes the item's analysis. Any
/// failure throws, and the step (which holds the deadline) is then degraded: the records are stamped without analysis.
/// </summary>
public sealed class LanguageModelAnalyzer(ILanguageModel model) : IIntelligenceAnalyzer
{
    public bool IsConfigured => true;

    /// <summary>Enough of an item's text to characterise it, within a small model's context window.</summary>
    public const int ContentCharacters = 8_000;

    const string System = """
        You analyse content that is being stamped into a metadata registry.
        Answer with one JSON object and nothing else, for example:
        {"language": "...", "summary": "one sentence", "topics": ["..."], "sensitivity": "public|internal|confidential"}
        """;

    public async Task<IReadOnlyList<JsonObject?>> AnalyzeAsync(IReadOnlyList<StampCommand> items, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(8);
        return await Task.WhenAll(items.Select(async (item, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return (JsonObject?)Read(await model.CompleteAsync(System, Prompt(item), cancellationToken), i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    static string Prompt(StampCommand item)
    {
        var text = new StringBuilder();
        text.Append("Namespace: ").Append(item.Namespace).Append('\n');
        if (item.FilePath is { } path) text.Append("File: ").Append(path).Append('\n');
        if (item.ContentType is { } type) text.Append("Content type: ").Append(type).Append('\n');
        if (item.Text is { } content)
        {
            var shown = content.Length <= ContentCharacters ? content : content[..ContentCharacters];
            text.Append("Content").Append(shown.Length < content.Length ? $" (first {ContentCharacters} of {content.Length} characters)" : "").Append(":\n").Append(shown);
        }
        else text.Append("Content: binary, ").Append(item.Binary?.Length ?? 0).Append(" bytes (not shown)");
        return text.ToString();
    }

    static JsonObject Read(string answer, int index)
    {
        try
        {
            return JsonNode.Parse(ModelAnswer.Unfenced(answer)) as JsonObject
                ?? throw new LanguageModelException($"the model's answer for item {index} is not a JSON object");
        }
        catch (JsonException)
        {
            throw new LanguageModelException($"the model's answer for item {index} is not a JSON object");
        }
    }
}
