using System.Globalization;
using System.Text;

namespace OmniBridge.Cli.Transparency;

/// <summary>
/// A log leaf read back (docs/transparency.md, "Leaves"): seven lines naming the record, which a
/// proof binds. Comparing them with the manifest is what ties a file to the leaf the log signed.
/// </summary>
public sealed record class Leaf(string Namespace, string Blake3, string Sha256, long Size, Guid StampId)
{
    /// <summary>The leaf, or null when the bytes are not a leaf of this format.</summary>
    public static Leaf? TryParse(ReadOnlySpan<byte> bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var lines = text.Split('\n');
        if (lines.Length != 8 || lines[0] != "omnibridge-leaf/v1" || lines[7].Length != 0) return null;
        string? Field(int line, string name) => lines[line].StartsWith(name + " ", StringComparison.Ordinal) ? lines[line][(name.Length + 1)..] : null;
        if (Field(1, "namespace") is not { } ns || Field(2, "blake3") is not { } blake3 || Field(3, "sha256") is not { } sha256
            || !long.TryParse(Field(4, "size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !Guid.TryParseExact(Field(5, "stamp"), "D", out var stamp) || Field(6, "time") is null)
            return null;
        return new Leaf(ns, blake3, sha256, size, stamp);
    }
}
