using System.Text.Json;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces.Validation;

/// <summary>
/// What a stamp command must satisfy before anything is computed or stored. The REST API runs
/// the same rules before calling a grain, and the grains check again for clients that embed them.
/// </summary>
public static class StampCommandRules
{
    /// <exception cref="StampCommandException">The first rule the command breaks.</exception>
    public static void Check(StampCommand command, string fieldPrefix = "")
    {
        if (!NamespaceName.IsValid(command.Namespace))
            throw new StampCommandException(ErrorCodes.InvalidNamespace, fieldPrefix + "namespace", NamespaceName.Rule);
        if ((command.Text is null ? 0 : 1) + (command.Binary is null ? 0 : 1) + (command.Digest is null ? 0 : 1) != 1)
            throw new StampCommandException(ErrorCodes.ValidationError, fieldPrefix + "content", "exactly one of content and content_base64 is required");
        if (command.Digest is { } digest && (!FileHash.IsValid(digest.FileHash) || !FileHash.IsValid(digest.Sha256) || digest.Size < 0))
            throw new StampCommandException(ErrorCodes.ValidationError, fieldPrefix + "content", "a digest is two hashes of 64 lowercase hex characters and a size of 0 or more");
        Fail(command.Text is null ? null : StampFields.UnicodeProblem(command.Text, "content"), fieldPrefix + "content");
        Fail(command.FilePath is null ? null : StampFields.FilePathProblem(command.FilePath), fieldPrefix + "file_path");
        Fail(command.ContentType is null ? null : StampFields.ContentTypeProblem(command.ContentType), fieldPrefix + "content_type");
        if (command.Form is not (StampType.Lightweight or StampType.Rich))
            throw new StampCommandException(ErrorCodes.ValidationError, fieldPrefix + "options.stamp_type", "stamp_type must be lightweight or rich");
        if (command.IntelligenceDataJson is { } json) Fail(IntelligenceProblem(json), fieldPrefix + "intelligence_data");
        foreach (var (key, value) in command.Metadata ?? [])
        {
            Fail(value is null ? "metadata values must be strings" : TextProblem(key, "metadata keys") ?? TextProblem(value, "metadata values"), fieldPrefix + "metadata." + key);
        }
    }

    /// <summary>How deep intelligence_data may nest: enough for any real analysis, and every record stays serialisable.</summary>
    public const int MaxIntelligenceDepth = 32;

    static void Fail(string? problem, string field)
    {
        if (problem is not null) throw new StampCommandException(ErrorCodes.ValidationError, field, problem);
    }

    /// <summary>Stored text must be valid Unicode without NUL, which PostgreSQL text and jsonb cannot hold.</summary>
    static string? TextProblem(string text, string what) =>
        text.Contains('\0', StringComparison.Ordinal) ? $"{what} must not contain U+0000" : StampFields.UnicodeProblem(text, what);

    static string? IntelligenceProblem(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxIntelligenceDepth });
            return document.RootElement.ValueKind != JsonValueKind.Object ? "intelligence_data must be a JSON object" : ValuesProblem(document.RootElement);
        }
        catch (JsonException)
        {
            return $"intelligence_data must be a JSON object nested at most {MaxIntelligenceDepth} levels deep";
        }
        catch (InvalidOperationException)
        {
            return "intelligence_data has a \\u escape that is not valid UTF-16";
        }
    }

    /// <summary>Strings without NUL or broken surrogates, numbers a double can hold: what every JSON store accepts.</summary>
    static string? ValuesProblem(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => TextProblem(element.GetString()!, "intelligence_data strings"),
        JsonValueKind.Number => element.TryGetDouble(out var number) && double.IsFinite(number) ? null : $"intelligence_data number {Shorten(element.GetRawText())} is out of range",
        JsonValueKind.Object => element.EnumerateObject().Select(p => TextProblem(p.Name, "intelligence_data keys") ?? ValuesProblem(p.Value)).FirstOrDefault(p => p is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(ValuesProblem).FirstOrDefault(p => p is not null),
        _ => null,
    };

    static string Shorten(string s) => s.Length <= 20 ? s : s[..20] + "...";
}
