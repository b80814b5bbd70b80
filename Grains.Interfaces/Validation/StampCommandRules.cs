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
            throw new StampCommandException("INVALID_NAMESPACE", fieldPrefix + "namespace", NamespaceName.Rule);
        if ((command.Text is null) == (command.Binary is null))
            throw new StampCommandException("VALIDATION_ERROR", fieldPrefix + "content", "exactly one of content and content_base64 is required");
        Fail(command.Text is null ? null : StampFields.UnicodeProblem(command.Text, "content"), fieldPrefix + "content");
        Fail(command.FilePath is null ? null : StampFields.FilePathProblem(command.FilePath), fieldPrefix + "file_path");
        Fail(command.ContentType is null ? null : StampFields.ContentTypeProblem(command.ContentType), fieldPrefix + "content_type");
        if (command.Form is not (StampType.Lightweight or StampType.Rich))
            throw new StampCommandException("VALIDATION_ERROR", fieldPrefix + "options.stamp_type", "stamp_type must be lightweight or rich");
        if (command.IntelligenceDataJson is { } json && !IsJsonObject(json))
            throw new StampCommandException("VALIDATION_ERROR", fieldPrefix + "intelligence_data", "intelligence_data must be a JSON object");
        foreach (var (key, value) in command.Metadata ?? [])
        {
            Fail(value is null ? "metadata values must be strings" : StampFields.UnicodeProblem(key + value, "metadata"), fieldPrefix + "metadata." + key);
        }
    }

    static void Fail(string? problem, string field)
    {
        if (problem is not null) throw new StampCommandException("VALIDATION_ERROR", field, problem);
    }

    static bool IsJsonObject(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
