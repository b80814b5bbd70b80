using System.Text.Json;
using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>
/// The <c>quorum</c> field of /generate and of a run (docs/intelligence.md, "AI quorum"): <c>{enabled, required}</c>, both
/// booleans, both false when absent. Anything else in it is refused, so a misspelt field never silently turns the vote off.
/// </summary>
public static class QuorumBody
{
    static readonly string[] Fields = ["enabled", "required"];

    public static QuorumRequest? Read(JsonElement? body)
    {
        if (body is not { } quorum || quorum.ValueKind == JsonValueKind.Null) return null;
        if (quorum.ValueKind != JsonValueKind.Object) throw ApiException.Validation("quorum", "expected an object {enabled, required}");
        foreach (var field in quorum.EnumerateObject())
        {
            if (!Fields.Contains(field.Name, StringComparer.Ordinal))
                throw ApiException.Validation("quorum." + field.Name, "unknown field: quorum takes enabled and required");
            if (field.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw ApiException.Validation("quorum." + field.Name, "expected true or false");
        }
        return new QuorumRequest
        {
            Enabled = quorum.TryGetProperty("enabled", out var enabled) && enabled.GetBoolean(),
            Required = quorum.TryGetProperty("required", out var required) && required.GetBoolean(),
        };
    }
}
