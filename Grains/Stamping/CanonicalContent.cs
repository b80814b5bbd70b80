using System.Text;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Canonical content (docs/protocol.md, "Canonical content"): what a stamp of text covers. Removing stamps, collapsing runs
/// of three or more line feeds to two and trimming Python's white space means restamping never
/// changes the hash.
/// </summary>
public static class CanonicalContent
{
    /// <summary>The canonical form of <paramref name="text"/>.</summary>
    public static string Of(string text) => StampedText.Read(text).Canonical;

    /// <summary>The BLAKE3 hash of the canonical form of <paramref name="text"/>.</summary>
    public static string HashOf(string text) => ContentHash.OfUtf8(Of(text));

    /// <summary>Step 3 on text whose stamps are already removed: collapse blank runs, trim the ends.</summary>
    public static string Normalise(string stampless)
    {
        var span = PythonWhitespace.Strip(stampless);
        var run = span.IndexOf("\n\n\n", StringComparison.Ordinal);
        if (run < 0) return span.Length == stampless.Length ? stampless : span.ToString();

        var result = new StringBuilder(span.Length);
        while (run >= 0)
        {
            result.Append(span[..(run + 2)]);
            var after = run + 2;
            while (after < span.Length && span[after] == '\n') after++;
            span = span[after..];
            run = span.IndexOf("\n\n\n", StringComparison.Ordinal);
        }
        return result.Append(span).ToString();
    }
}
