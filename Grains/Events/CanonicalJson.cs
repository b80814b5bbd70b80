using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniBridge.Grains.Events;

/// <summary>
/// The form a payload is signed in (docs/protocol.md, "Events": sorted keys, no spaces), made exact by the JSON
/// Canonicalization Scheme (RFC 8785), so that any JCS library rebuilds the same bytes from the
/// payload it received: object keys sorted by UTF-16 code units at every level, no white space,
/// strings escaped only where JSON requires (<c>\"</c>, <c>\\</c>, control characters), numbers
/// written as ECMAScript writes doubles (<c>4.5</c>, <c>0.002</c>, <c>1e+30</c>), UTF-8.
/// </summary>
public static class CanonicalJson
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="FormatException">The value is outside I-JSON (a lone surrogate, a number that is not finite).</exception>
    public static byte[] Of(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        try
        {
            return Utf8.GetBytes(text.ToString());
        }
        catch (EncoderFallbackException e)
        {
            throw new FormatException("a string holds a lone surrogate", e);
        }
    }

    static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    String(text, key);
                    text.Append(':');
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(text, array[i]);
                }
                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String: String(text, Text(value)); break;
                    case JsonValueKind.Number: text.Append(Number(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture))); break;
                    case JsonValueKind.True: text.Append("true"); break;
                    case JsonValueKind.False: text.Append("false"); break;
                    default: text.Append("null"); break;
                }
                break;
        }
    }

    static string Text(JsonValue value)
    {
        try
        {
            return value.GetValue<string>();
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("a string holds a lone surrogate", e);
        }
    }

    static void String(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\f': text.Append("\\f"); break;
                case '\r': text.Append("\\r"); break;
                case < ' ': text.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    /// <summary>A double as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value)) throw new FormatException($"{value} is not a JSON number");
        if (value == 0) return "0";
        // The shortest digits that read back as the same double, and where the decimal point goes.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leading;
        var k = digits.Length;

        var sign = value < 0 ? "-" : "";
        if (k <= n && n <= 21) return sign + digits + new string('0', n - k);
        if (0 < n && n <= 21) return sign + digits[..n] + "." + digits[n..];
        if (-6 < n && n <= 0) return sign + "0." + new string('0', -n) + digits;
        var power = n - 1;
        return sign + digits[0] + (k > 1 ? "." + digits[1..] : "") + "e" + (power < 0 ? "-" : "+") + Math.Abs(power).ToString(CultureInfo.InvariantCulture);
    }
}
