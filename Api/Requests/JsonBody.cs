using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using OmniBridge.Api.Errors;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Reads a JSON request body into a request type, turning every way it can be wrong into a 4xx
/// with a stable code: 415 for another media type, 413 over the size limit, 400 VALIDATION_ERROR
/// with a null field when it does not parse (invalid UTF-8 included), or with the JSON path of the
/// field whose type is wrong.
/// </summary>
public static class JsonBody
{
    static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = ApiJson.MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Reads and binds the whole body; <paramref name="limit"/> bytes at most.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext http, long limit, string setting = "MAX_CONTENT_BYTES")
    {
        using var body = await ParseAsync(http, limit, setting);
        return Bind<T>(body.Root);
    }

    /// <summary>Parses the body as UTF-8 JSON whose root is an object.</summary>
    public static async Task<ParsedBody> ParseAsync(HttpContext http, long limit, string setting = "MAX_CONTENT_BYTES")
    {
        MediaType.RequireJson(http.Request);
        var bytes = await RequestBody.ReadAllAsync(http, limit, setting);
        try
        {
            // Checked up front: the parser would only notice bad UTF-8 inside a string when that
            // string is read, and report it as a wrong type.
            if (!Utf8.IsValid(bytes.Span)) throw ApiException.Validation(null, "the body is not valid UTF-8");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes.Memory, DocumentOptions);
            }
            catch (JsonException e)
            {
                throw ApiException.Validation(null, $"the body is not valid JSON: {ParseProblem(e)}");
            }
            catch (InvalidOperationException)
            {
                // A \u escape that is not valid UTF-16 (a reversed surrogate pair) in a property name.
                throw ApiException.Validation(null, "the body has a \\u escape that is not valid UTF-16");
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw ApiException.Validation(null, "the body must be a JSON object");
            }
            if (JsonStrings.FirstProblem(document.RootElement, "") is { } problem)
            {
                document.Dispose();
                throw ApiException.Validation(problem.Field, problem.Message);
            }
            return new ParsedBody(document, bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    /// <summary>Binds <paramref name="element"/> to <typeparamref name="T"/>; a wrong type names its field, prefixed by <paramref name="prefix"/>.</summary>
    public static T Bind<T>(JsonElement element, string prefix = "")
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw ApiException.Validation(prefix.TrimEnd('.') is { Length: > 0 } at ? at : null, "expected a JSON object");
        try
        {
            return element.Deserialize<T>(ApiJson.Options)!;
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var expected = Expected(typeof(T), field);
            var name = prefix + field;
            throw ApiException.Validation(name.Length == 0 ? null : name, expected is null ? $"{name} has the wrong type" : $"{name} must be {expected}");
        }
    }

    // STJ reports the line and byte, which is what a client needs; the message text is its own.
    static string ParseProblem(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "malformed input";

    /// <summary>"$.items[2].content" and "$['odd key']" as "items[2].content" and "odd key".</summary>
    static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "";
        var field = new StringBuilder();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                Append(field, path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                if (end < 0) break;
                Append(field, path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) break;
                field.Append(path, i, end - i + 1);
                i = end + 1;
            }
            else break;
        }
        return field.ToString();

        static void Append(StringBuilder field, string name)
        {
            if (field.Length > 0) field.Append('.');
            field.Append(name);
        }
    }

    /// <summary>What the field at <paramref name="field"/> of <paramref name="root"/> expects, in JSON words.</summary>
    static string? Expected(Type root, string field)
    {
        var type = root;
        foreach (var part in field.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var bracket = part.IndexOf('[');
            if (bracket >= 0) name = part[..bracket];
            if (name.Length > 0)
            {
                type = Member(type, name);
                if (type is null) return null;
            }
            for (var b = bracket; b >= 0; b = part.IndexOf('[', b + 1)) type = Element(type) ?? type;
        }
        return Describe(Nullable.GetUnderlyingType(type) ?? type);
    }

    static Type? Member(Type type, string jsonName)
    {
        if (Dictionary(type) is { } value) return value;
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)) == jsonName)
            ?.PropertyType;
    }

    static Type? Dictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    static Type? Element(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && Dictionary(type) is null ? type.GetGenericArguments()[0]
        : null;

    static string? Describe(Type type) =>
        type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(JsonElement) ? null
        : Dictionary(type) is not null ? "a JSON object"
        : Element(type) is not null ? "a JSON array"
        : type.IsClass ? "a JSON object"
        : null;
}

/// <summary>A parsed JSON body and the buffer it lives in; dispose when done with <see cref="Root"/>.</summary>
public sealed class ParsedBody(JsonDocument document, IDisposable buffer) : IDisposable
{
    public JsonElement Root => document.RootElement;

    public void Dispose()
    {
        document.Dispose();
        buffer.Dispose();
    }
}
