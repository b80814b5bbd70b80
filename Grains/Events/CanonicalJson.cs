using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniBridge.Grains.Events;

/// <summary>
/// The form a payload is signed in (SPEC §7): UTF-8 JSON with object keys sorted (ordinal) at every
/// level, no white space, no escaping beyond what JSON requires, and numbers written by value
/// (integers as integers, others as the shortest text that reads back as the same double). Anyone
/// can rebuild it from the payload they received and check the signature.
/// </summary>
public static class CanonicalJson
{
    static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static byte[] Of(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Writer)) Write(writer, node);
        return buffer.ToArray();
    }

    static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            case JsonValue number when number.GetValueKind() == JsonValueKind.Number:
                // Numbers by value, not by spelling: 1.0, 1 and 1E0 sign alike (a database may respell them).
                var raw = number.ToJsonString();
                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) writer.WriteNumberValue(whole);
                else writer.WriteNumberValue(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
