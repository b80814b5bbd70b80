using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmniBridge.Api.Requests;

/// <summary>The JSON conventions of the API: snake_case names, enums as snake_case strings, UTC times with milliseconds and Z.</summary>
public static class ApiJson
{
    /// <summary>Deeper nesting than any request needs; deeper bodies are refused, not parsed.</summary>
    public const int MaxDepth = 64;

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // Bodies are served as application/json, never inlined into HTML: stamps keep their '<' and '>'.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.MaxDepth = MaxDepth;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new WireEnumConverter());
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }

    /// <summary>Writes instants as <c>YYYY-MM-DDTHH:MM:SS.fffZ</c>, the form stamps use.</summary>
    sealed class UtcTimestampConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTime().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
