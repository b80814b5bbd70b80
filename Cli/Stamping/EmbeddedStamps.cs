using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using OmniBridge.Cli.Hashing;

namespace OmniBridge.Cli.Stamping;

/// <summary>
/// Checks the O.N.E. v0.1 stamps a text file carries, offline, from the rules of SPEC §3
/// (docs/protocol.md, "Canonical content"): a stamp is valid when its hash is the BLAKE3 of the
/// file's canonical content (every stamp removed, runs of three or more line feeds made two,
/// Python's white space trimmed at both ends) and a rich block's integrity hash agrees. Written
/// apart from the service's own code, as a second reading of the same rules.
/// </summary>
public static partial class EmbeddedStamps
{
    /// <summary>White space as Python's <c>str.strip()</c> sees it, as a regex class.</summary>
    const string Space = @"[\t\n\v\f\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

    [GeneratedRegex(@"^# ONEX:uid=[A-Za-z0-9_-]+,hash=(?<hash>[A-Za-z0-9]+),ts=[0-9T:.+\-]+Z?[^\n]*(?:\n|\z)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LightweightLine();

    [GeneratedRegex("<!--" + Space + "*ONEX_METADATA_START" + Space + "*-->", RegexOptions.CultureInvariant)]
    private static partial Regex RichStart();

    [GeneratedRegex("<!--" + Space + "*ONEX_METADATA_END" + Space + "*-->", RegexOptions.CultureInvariant)]
    private static partial Regex RichEnd();

    static readonly SearchValues<char> Spaces = SearchValues.Create(
        "\t\n\v\f\r\u001C\u001D\u001E\u001F \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000");

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRun();

    /// <summary>Whether the text mentions a stamp at all (cheap, before the full reading).</summary>
    public static bool MayCarryStamps(string text) =>
        text.Contains("# ONEX:uid=", StringComparison.Ordinal) || text.Contains("ONEX_METADATA_START", StringComparison.Ordinal);

    /// <summary>How many stamps the text carries, and how many of them do not bind its canonical content.</summary>
    public static (int Found, int Invalid) Check(string text)
    {
        var hashes = new List<(string? Hash, bool Consistent)>();
        var withoutLines = LightweightLine().Replace(text, m =>
        {
            hashes.Add((m.Groups["hash"].Value, true));
            return "";
        });

        var kept = new StringBuilder(withoutLines.Length);
        var at = 0;
        while (RichStart().Match(withoutLines, at) is { Success: true } start
               && RichEnd().Match(withoutLines, start.Index + start.Length) is { Success: true } end)
        {
            hashes.Add(RichHash(withoutLines[(start.Index + start.Length)..end.Index]));
            kept.Append(withoutLines, at, start.Index - at);
            at = end.Index + end.Length;
        }
        kept.Append(withoutLines, at, withoutLines.Length - at);

        var canonical = FileHasher.Blake3Of(Encoding.UTF8.GetBytes(Canonical(kept.ToString())));
        return (hashes.Count, hashes.Count(h => !h.Consistent || !string.Equals(h.Hash, canonical, StringComparison.Ordinal)));
    }

    /// <summary>Blank runs collapsed, then the ends trimmed.</summary>
    static string Canonical(string stampless)
    {
        var collapsed = BlankRun().Replace(stampless, "\n\n").AsSpan();
        var start = collapsed.IndexOfAnyExcept(Spaces);
        return start < 0 ? "" : collapsed[start..(collapsed.LastIndexOfAnyExcept(Spaces) + 1)].ToString();
    }

    /// <summary>A rich block's top-level <c>hash:</c>, and whether its <c>integrity</c> hash (when there is one) agrees.</summary>
    static (string? Hash, bool Consistent) RichHash(string inner)
    {
        string? hash = null, integrity = null;
        var integrityIndent = -1;
        foreach (var line in inner.Split('\n'))
        {
            var trimmed = line.Trim();
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            if (integrityIndent >= 0 && indent > integrityIndent)
            {
                if (trimmed.StartsWith("hash:", StringComparison.Ordinal)) integrity ??= trimmed[5..].Trim();
                continue;
            }
            integrityIndent = -1;
            if (trimmed == "integrity:") integrityIndent = indent;
            else if (trimmed.StartsWith("hash:", StringComparison.Ordinal)) hash ??= trimmed[5..].Trim();
        }
        return (hash, integrity is null || integrity == hash);
    }
}
