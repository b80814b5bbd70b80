using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Finds O.N.E. v0.1 stamps in text (SPEC §3.2): lightweight lines first, then rich blocks in what
/// is left, the same two passes that canonical content is built from.
/// </summary>
public static partial class StampScanner
{
    const string LightweightMarker = "# ONEX:uid=";
    const string RichMarker = "ONEX_METADATA_START";

    // Exactly the characters Python's \s and str.strip() treat as white space.
    const string Space = @"[\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

    // Only at the start of a line (after '\n'), so a string literal that happens to contain the
    // pattern is left alone. The rest of the line and its '\n' belong to the stamp.
    [GeneratedRegex(@"^# ONEX:uid=([A-Za-z0-9_-]+),hash=([A-Za-z0-9]+),ts=([0-9T:.+\-]+Z?)([^\n]*)(?:\n|\z)",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LightweightLine();

    [GeneratedRegex("<!--" + Space + "*ONEX_METADATA_START" + Space + "*-->(.*?)<!--" + Space + "*ONEX_METADATA_END" + Space + "*-->",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex RichBlock();

    /// <summary>Every lightweight stamp line in <paramref name="text"/>.</summary>
    public static List<FoundStamp> FindLightweight(string text)
    {
        var found = new List<FoundStamp>();
        if (!text.Contains(LightweightMarker, StringComparison.Ordinal)) return found;
        foreach (Match m in LightweightLine().Matches(text))
        {
            found.Add(ReadLightweight(m));
        }
        return found;
    }

    /// <summary>Every rich block in <paramref name="text"/> (run it on text without lightweight lines).</summary>
    public static List<FoundStamp> FindRich(string text)
    {
        var found = new List<FoundStamp>();
        if (!text.Contains(RichMarker, StringComparison.Ordinal)) return found;
        foreach (Match m in RichBlock().Matches(text))
        {
            found.Add(ReadRich(m));
        }
        return found;
    }

    /// <summary><paramref name="text"/> without the given stamps (found in that same text).</summary>
    public static string Without(string text, IReadOnlyList<FoundStamp> stamps, bool withSeparator = false)
    {
        if (stamps.Count == 0) return text;
        var kept = new System.Text.StringBuilder(text.Length);
        var at = 0;
        foreach (var stamp in stamps)
        {
            var start = stamp.Start;
            // A rich block is appended after a blank line; take that separator with the block.
            if (withSeparator && start - at >= 2 && text[start - 1] == '\n' && text[start - 2] == '\n') start -= 2;
            kept.Append(text, at, start - at);
            at = stamp.Start + stamp.Length;
        }
        kept.Append(text, at, text.Length - at);
        return kept.ToString();
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
                    if (!fields.TryAdd(pair[..eq], pair[(eq + 1)..])) problems.Add($"'{pair[..eq]}' appears twice");
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

    static FoundStamp ReadRich(Match m)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var hasIntegrity = false;
        string? algorithm = null, integrityHash = null;
        var integrityIndent = -1;

        foreach (var rawLine in m.Groups[1].Value.Split('\n'))
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
                    default: problems.Add($"integrity field '{key}' is unknown or repeated"); break;
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
            if (!fields.TryAdd(key, value)) problems.Add($"'{key}' appears twice");
        }

        return new FoundStamp
        {
            Form = StampType.Rich,
            Start = m.Index,
            Length = m.Length,
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
