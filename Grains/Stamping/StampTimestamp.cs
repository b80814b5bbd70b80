using System.Globalization;

namespace OmniBridge.Grains.Stamping;

/// <summary>Stamp timestamps: written as <c>YYYY-MM-DDTHH:MM:SS.fffZ</c>; read with a <c>Z</c> or <c>+00:00</c> offset and any fraction.</summary>
public static class StampTimestamp
{
    const string WrittenFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The instant as the service writes it (UTC, milliseconds, <c>Z</c>).</summary>
    public static string Format(DateTime utc) => utc.ToUniversalTime().ToString(WrittenFormat, CultureInfo.InvariantCulture);

    /// <summary>As <see cref="Format"/>, as UTF-8 into <paramref name="utf8"/>; false when it does not fit.</summary>
    public static bool TryFormat(DateTime utc, Span<byte> utf8, out int written) =>
        utc.ToUniversalTime().TryFormat(utf8, out written, WrittenFormat, CultureInfo.InvariantCulture);

    /// <summary>Truncates to whole milliseconds, the precision a written stamp keeps.</summary>
    public static DateTime ToStampPrecision(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>Reads an ISO-8601 UTC instant; false for anything else, other offsets included.</summary>
    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrEmpty(text)) return false;
        string body;
        if (text.EndsWith('Z')) body = text[..^1];
        else if (text.EndsWith("+00:00", StringComparison.Ordinal)) body = text[..^6];
        else return false;

        // Date and time are fixed-width; the fraction, when present, has any number of digits
        // (beyond the seventh, finer than .NET's ticks, they are dropped).
        if (body.Length < 19 || body[10] != 'T') return false;
        var fraction = body[19..];
        if (fraction.Length > 0 && (fraction[0] != '.' || fraction.Length < 2 || fraction.AsSpan(1).ContainsAnyExceptInRange('0', '9')))
            return false;
        if (fraction.Length > 8) fraction = fraction[..8];
        if (!DateTime.TryParseExact(body[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var whole))
            return false;
        var ticks = fraction.Length > 1 ? long.Parse(fraction[1..].PadRight(7, '0'), CultureInfo.InvariantCulture) : 0;
        utc = DateTime.SpecifyKind(whole.AddTicks(ticks), DateTimeKind.Utc);
        return true;
    }
}
