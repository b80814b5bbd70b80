using System.Runtime.InteropServices;
using System.Text;
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

    /// <summary>
    /// The first string or property name that is not valid Unicode, with its JSON path; null when all
    /// are. Only strings with a <c>\u</c> escape are read, and a path is written only for a problem: a
    /// batch of a thousand items is checked without making a string.
    /// </summary>
    public static Problem? FirstProblem(JsonElement element, string path) => Walk(element, path, []);

    /// <summary>A step from the root to where the walk is: a property, or an index in an array.</summary>
    readonly record struct Step(JsonProperty? Property, int Index);

    static Problem? Walk(JsonElement element, string root, List<Step> trail)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return HasEscape(JsonMarshal.GetRawUtf8Value(element)) ? Check(Path(root, trail), element, null) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (HasEscape(JsonMarshal.GetRawUtf8PropertyName(property)) && Check(Path(root, trail), null, property) is { } badName) return badName;
                    if (Inner(property.Value, root, trail, new Step(property, 0)) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Inner(item, root, trail, new Step(null, index++)) is { } inner) return inner;
                }
                return null;
            default:
                return null;
        }
    }

    static Problem? Inner(JsonElement element, string root, List<Step> trail, Step step)
    {
        trail.Add(step);
        var problem = Walk(element, root, trail);
        trail.RemoveAt(trail.Count - 1);
        return problem;
    }

    /// <summary>The JSON path of the trail: <c>items[3].metadata.key</c>.</summary>
    static string Path(string root, List<Step> trail)
    {
        var path = new StringBuilder(root);
        foreach (var step in trail)
        {
            if (step.Property is not { } property) path.Append('[').Append(step.Index).Append(']');
            else path.Append(path.Length == 0 ? "" : ".").Append(property.Name);
        }
        return path.ToString();
    }

    static bool HasEscape(ReadOnlySpan<byte> raw) => raw.IndexOf("\\u"u8) >= 0;

    /// <summary>Reads the string value or the property's name (one of the two) and checks it.</summary>
    static Problem? Check(string path, JsonElement? value, JsonProperty? name)
    {
        var field = path.Length == 0 ? null : path;
        try
        {
            var text = value is { } v ? v.GetString()! : name!.Value.Name;
            return StampFields.UnicodeProblem(text, field ?? "a property name") is { } problem ? new Problem(field, problem) : null;
        }
        catch (InvalidOperationException)
        {
            return new Problem(field, $"{field ?? "a property name"} has a \\u escape that is not valid UTF-16");
        }
    }
}
