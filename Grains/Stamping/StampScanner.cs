using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Finds O.N.E. v0.1 stamps in text (docs/protocol.md, "Canonical content"): lightweight lines first, then rich blocks in what
/// is left, the same two passes that canonical content is built from. Both scans take time linear
/// in the text and hand stamps out one at a time, so hostile content (a megabyte of markers) costs
/// no more than a megabyte of prose.
/// </summary>
public static partial class StampScanner
{
    const string LightweightMarker = "# ONEX:uid=";
    const string StartKeyword = "ONEX_METADATA_START";
    const string EndKeyword = "ONEX_METADATA_END";

    // Only at the start of a line (after '\n'), so a string literal that happens to contain the
    // pattern is left alone. The rest of the line and its '\n' belong to the stamp. Every part is
    // bounded by what follows it, so the match never backtracks far.
    [GeneratedRegex(@"^# ONEX:uid=([A-Za-z0-9_-]+),hash=([A-Za-z0-9]+),ts=([0-9T:.+\-]+Z?)([^\n]*)(?:\n|\z)",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LightweightLine();

    /// <summary>Whether <paramref name="text"/> holds a rich START keyword at all (a marker can only be found where it does).</summary>
    public static bool MentionsRichStart(string text) => text.Contains(StartKeyword, StringComparison.Ordinal);

    /// <summary>Every lightweight stamp line in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<FoundStamp> Lightweight(string text)
    {
        if (!text.Contains(LightweightMarker, StringComparison.Ordinal)) yield break;
        for (var m = LightweightLine().Match(text); m.Success; m = m.NextMatch()) yield return ReadLightweight(m);
    }

    /// <summary>
    /// Every rich block in <paramref name="text"/> (run it on text without lightweight lines): from
    /// a <c>&lt;!-- ONEX_METADATA_START --&gt;</c> to the first <c>&lt;!-- ONEX_METADATA_END --&gt;</c>
    /// after it, white space inside the markers free, as the pattern of docs/protocol.md, "Canonical content" matches them.
    /// </summary>
    public static IEnumerable<FoundStamp> Rich(string text)
    {
        var from = 0;
        while (FindMarker(text, StartKeyword, from) is { } opener)
        {
            // No closing marker after this opener means none after any later one either.
            if (FindMarker(text, EndKeyword, opener.End) is not { } closer) yield break;
            yield return ReadRich(text, opener.Start, closer.End - opener.Start, opener.End, closer.Start - opener.End);
            from = closer.End;
        }
    }

    /// <summary><paramref name="text"/> without the given stamps (found in that same text, in order).</summary>
    /// <param name="withSeparator">Also remove the blank line a rich block was appended after.</param>
    public static string Without(string text, IEnumerable<FoundStamp> stamps, bool withSeparator = false)
    {
        System.Text.StringBuilder? kept = null;
        var at = 0;
        foreach (var stamp in stamps)
        {
            kept ??= new System.Text.StringBuilder(text.Length);
            var start = stamp.Start;
            if (withSeparator && start - at >= 2 && text[start - 1] == '\n' && text[start - 2] == '\n') start -= 2;
            kept.Append(text, at, start - at);
            at = stamp.Start + stamp.Length;
        }
        return kept is null ? text : kept.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The next <c>&lt;!--</c>, white space, <paramref name="keyword"/>, white space, <c>--&gt;</c> that starts at or after <paramref name="from"/>.</summary>
    static (int Start, int End)? FindMarker(string text, string keyword, int from)
    {
        for (var k = text.IndexOf(keyword, from, StringComparison.Ordinal); k >= 0; k = text.IndexOf(keyword, k + 1, StringComparison.Ordinal))
        {
            var open = k;
            while (open > from && PythonWhitespace.Is(text[open - 1])) open--;
            if (open - 4 < from || string.CompareOrdinal(text, open - 4, "<!--", 0, 4) != 0) continue;
            var close = k + keyword.Length;
            while (close < text.Length && PythonWhitespace.Is(text[close])) close++;
            if (string.CompareOrdinal(text, close, "-->", 0, 3) != 0) continue;
            return (open - 4, close + 3);
        }
        return null;
    }

    static FoundStamp ReadLightweight(Match m)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var tail = m.Groups[4].Value.TrimEnd('\r');
        if (tail.Length > 0)
        {
            if (tail[0] != ',') problems.Add($"unexpected text after the timestamp: '{Shorten(tail)}'");
            else
            {
                foreach (var pair in tail[1..].Split(','))
                {
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) { problems.Add($"'{Shorten(pair)}' is not a key=value pair"); continue; }
                    if (!fields.TryAdd(pair[..eq], pair[(eq + 1)..])) problems.Add($"'{Shorten(pair[..eq])}' appears twice");
                }
            }
        }
        return new FoundStamp
        {
            Form = StampType.Lightweight,
            Start = m.Index,
            Length = m.Length,
            Uid = m.Groups[1].Value,
            Hash = m.Groups[2].Value,
            Timestamp = m.Groups[3].Value,
            Fields = fields,
            ParseProblems = problems,
        };
    }

    static FoundStamp ReadRich(string text, int start, int length, int innerStart, int innerLength)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var hasIntegrity = false;
        string? algorithm = null, integrityHash = null;
        var integrityIndent = -1;

        foreach (var rawLine in text.Substring(innerStart, innerLength).Split('\n'))
        {
            var line = PythonWhitespace.Strip(rawLine).ToString();
            if (line.Length == 0 || line.StartsWith("<!--", StringComparison.Ordinal) || line.StartsWith("-->", StringComparison.Ordinal)) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) { problems.Add($"line '{Shorten(line)}' is not a 'key: value' field"); continue; }
            var key = line[..colon].Trim();
            var value = PythonWhitespace.Strip(line.AsSpan(colon + 1)).ToString();
            var indent = rawLine.Length - rawLine.TrimStart(' ', '\t').Length;

            if (integrityIndent >= 0 && indent > integrityIndent)
            {
                switch (key)
                {
                    case "algorithm" when algorithm is null: algorithm = value; break;
                    case "hash" when integrityHash is null: integrityHash = value; break;
                    default: problems.Add($"integrity field '{Shorten(key)}' is unknown or repeated"); break;
                }
                continue;
            }
            integrityIndent = -1;
            if (key == "integrity" && value.Length == 0)
            {
                if (hasIntegrity) problems.Add("'integrity' appears twice");
                hasIntegrity = true;
                integrityIndent = indent;
                continue;
            }
            if (!fields.TryAdd(key, value)) problems.Add($"'{Shorten(key)}' appears twice");
        }

        return new FoundStamp
        {
            Form = StampType.Rich,
            Start = start,
            Length = length,
            Uid = fields.GetValueOrDefault("uid"),
            Hash = fields.GetValueOrDefault("hash"),
            Timestamp = fields.GetValueOrDefault("timestamp"),
            Fields = fields,
            HasIntegrity = hasIntegrity,
            IntegrityAlgorithm = algorithm,
            IntegrityHash = integrityHash,
            ParseProblems = problems,
        };
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
