using System.Runtime.InteropServices;
using System.Text.Json;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Every string of a request is valid Unicode. The body is valid UTF-8 by the time this runs, so
/// only <c>\u</c> escapes can break that: an unpaired surrogate, or a pair in the wrong order.
/// </summary>
public static class JsonStrings
{
    public sealed record class Problem(string? Field, string Message);

    /// <summary>The first string or property name that is not valid Unicode, with its JSON path; null when all are.</summary>
    public static Problem? FirstProblem(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return HasEscape(JsonMarshal.GetRawUtf8Value(element)) ? Check(() => element.GetString()!, path) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string? name = null;
                    if (Check(() => name = property.Name, path) is { } badName) return badName;
                    if (FirstProblem(property.Value, path.Length == 0 ? name! : $"{path}.{name}") is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstProblem(item, $"{path}[{index++}]") is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    static bool HasEscape(ReadOnlySpan<byte> raw) => raw.IndexOf("\\u"u8) >= 0;

    static Problem? Check(Func<string> read, string path)
    {
        var field = path.Length == 0 ? null : path;
        try
        {
            var text = read();
            return StampFields.UnicodeProblem(text, field ?? "a property name") is { } problem ? new Problem(field, problem) : null;
        }
        catch (InvalidOperationException)
        {
            return new Problem(field, $"{field ?? "a property name"} has a \\u escape that is not valid UTF-16");
        }
    }
}
