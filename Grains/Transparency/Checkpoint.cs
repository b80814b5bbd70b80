using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// A signed checkpoint: a C2SP tlog-checkpoint body (origin, tree size, root hash) in a signed
/// note with one Ed25519 signature (docs/transparency.md, "Checkpoints").
/// </summary>
public static class Checkpoint
{
    /// <summary>The note's text: the body, an empty line, and the signature line.</summary>
    public static string Sign(NoteKey key, string origin, long size, ReadOnlySpan<byte> root)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{origin}\n{size}\n{Convert.ToBase64String(root)}\n");
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var signature = new byte[4 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(signature, key.Hash);
        key.Sign(bodyBytes).CopyTo(signature, 4);
        return $"{body}\n\u2014 {key.Name} {Convert.ToBase64String(signature)}\n";
    }

    /// <summary>The tree size a note of ours states; -1 when it is not one.</summary>
    public static long SizeOf(string note)
    {
        var lines = note.Split('\n');
        return lines.Length > 2 && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : -1;
    }

    /// <summary>Whether <paramref name="note"/> was signed by <paramref name="key"/> (by its name and key hash; the signature itself is trusted, being ours).</summary>
    public static bool SignedBy(string note, NoteKey key)
    {
        var line = note.TrimEnd('\n').Split('\n')[^1];
        var prefix = $"\u2014 {key.Name} ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return false;
        Span<byte> signature = stackalloc byte[68];
        return Convert.TryFromBase64String(line[prefix.Length..], signature, out var length) && length == 68
            && BinaryPrimitives.ReadUInt32BigEndian(signature) == key.Hash;
    }
}
