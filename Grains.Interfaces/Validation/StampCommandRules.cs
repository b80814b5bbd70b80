using System.Text;
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
        Fail(command.Text is null ? null : StampFields.UnicodeProblem(command.Text, "content"), fieldPrefix, "content");
        Fail(command.FilePath is null ? null : StampFields.FilePathProblem(command.FilePath), fieldPrefix, "file_path");
        Fail(command.ContentType is null ? null : StampFields.ContentTypeProblem(command.ContentType), fieldPrefix, "content_type");
        if (command.Form is not (StampType.Lightweight or StampType.Rich))
            throw new StampCommandException(ErrorCodes.ValidationError, fieldPrefix + "options.stamp_type", "stamp_type must be lightweight or rich");
        if (command.IntelligenceDataJson is { } json) Fail(IntelligenceProblem(json), fieldPrefix, "intelligence_data");
        if (command.Metadata is { } metadata) CheckMetadata(metadata, fieldPrefix);
    }

    /// <summary>
    /// Metadata is a JSON object of strings within the record limits (docs/protocol.md, "Limits"): the
    /// count first, so that a huge object is refused before any of it is measured.
    /// </summary>
    static void CheckMetadata(Dictionary<string, string> metadata, string fieldPrefix)
    {
        if (metadata.Count > Limits.MetadataEntries)
            Fail($"metadata has {metadata.Count} entries; at most {Limits.MetadataEntries} are allowed", fieldPrefix, "metadata");
        long bytes = 2;   // {}
        foreach (var (key, value) in metadata)
        {
            var field = fieldPrefix + "metadata." + key;
            Fail(value is null ? "metadata values must be strings" : TextProblem(key, "metadata keys") ?? TextProblem(value, "metadata values"), field);
            Fail(StampFields.TooLong(key, Limits.MetadataKeyCharacters, "a metadata key"), field);
            var valueBytes = Encoding.UTF8.GetByteCount(value!);
            if (valueBytes > Limits.MetadataValueBytes)
                Fail($"a metadata value is {valueBytes} bytes in UTF-8; at most {Limits.MetadataValueBytes} (16 KiB) are allowed", field);
            bytes += JsonStringBytes(key) + 1 + JsonStringBytes(value!) + (bytes > 2 ? 1 : 0);
        }
        if (bytes > Limits.MetadataBytes)
            Fail($"metadata is {bytes} bytes as UTF-8 JSON; at most {Limits.MetadataBytes} (64 KiB) are allowed", fieldPrefix, "metadata");
    }

    /// <summary>A string's bytes in compact UTF-8 JSON, escaped only where JSON requires (quotes included).</summary>
    static long JsonStringBytes(string text)
    {
        long bytes = 2;
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Value switch
            {
                '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t' => 2,
                < 0x20 => 6,   // \u00XX
                _ => rune.Utf8SequenceLength,
            };
        }
        return bytes;
    }

    static void Fail(string? problem, string field)
    {
        if (problem is not null) throw new StampCommandException(ErrorCodes.ValidationError, field, problem);
    }

    /// <summary>As <see cref="Fail(string?, string)"/>, the field's name built only when there is a problem (this runs for every item of every batch).</summary>
    static void Fail(string? problem, string fieldPrefix, string field)
    {
        if (problem is not null) Fail(problem, fieldPrefix + field);
    }

    /// <summary>Stored text must be valid Unicode without NUL, which PostgreSQL text and jsonb cannot hold.</summary>
    static string? TextProblem(string text, string what) =>
        text.Contains('\0', StringComparison.Ordinal) ? $"{what} must not contain U+0000" : StampFields.UnicodeProblem(text, what);

    static string? IntelligenceProblem(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Limits.IntelligenceDataDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "intelligence_data must be a JSON object";
            if (ValuesProblem(root) is { } problem) return problem;
            // Measured compact, as the metadata is, so that a client whose JSON escapes more (every
            // non-ASCII character, say) gets the same room. The text as given is never shorter than
            // that, so the walk is needed only when the text is over the limit.
            if (Encoding.UTF8.GetByteCount(json) <= Limits.IntelligenceDataBytes) return null;
            var bytes = CompactBytes(root);
            return bytes <= Limits.IntelligenceDataBytes ? null
                : $"intelligence_data is {bytes} bytes as compact UTF-8 JSON; at most {Limits.IntelligenceDataBytes} (64 KiB) are allowed";
        }
        catch (JsonException)
        {
            return $"intelligence_data must be a JSON object nested at most {Limits.IntelligenceDataDepth} levels deep";
        }
        catch (InvalidOperationException)
        {
            return "intelligence_data has a \\u escape that is not valid UTF-16";
        }
    }

    /// <summary>A JSON value's bytes as compact UTF-8 JSON, strings escaped only where JSON requires, numbers as written.</summary>
    static long CompactBytes(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                long inObject = 1;
                foreach (var property in element.EnumerateObject()) inObject += 1 + JsonStringBytes(property.Name) + 1 + CompactBytes(property.Value);
                return Math.Max(inObject, 2);
            case JsonValueKind.Array:
                long inArray = 1;
                foreach (var item in element.EnumerateArray()) inArray += 1 + CompactBytes(item);
                return Math.Max(inArray, 2);
            case JsonValueKind.String:
                return JsonStringBytes(element.GetString()!);
            default:
                return Encoding.UTF8.GetByteCount(element.GetRawText());
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
