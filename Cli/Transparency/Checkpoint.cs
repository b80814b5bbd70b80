using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace OmniBridge.Cli.Transparency;

/// <summary>
/// A log checkpoint: a signed note (the format of Go's <c>golang.org/x/mod/sumdb/note</c>) whose
/// body is the C2SP tlog-checkpoint origin, size and root (docs/transparency.md, "Checkpoints").
/// Parsing checks the shape; <see cref="SignedBy"/> checks the Ed25519 signature with a verifier key.
/// </summary>
public sealed class Checkpoint
{
    const string SignaturePrefix = "\u2014 ";

    Checkpoint(string text, string body, string origin, long size, byte[] root, IReadOnlyList<(string Name, byte[] Blob)> signatures)
    {
        Text = text;
        Body = body;
        Origin = origin;
        Size = size;
        Root = root;
        Signatures = signatures;
    }

    /// <summary>The note exactly as served.</summary>
    public string Text { get; }

    public string Origin { get; }
    public long Size { get; }
    public byte[] Root { get; }

    string Body { get; }
    IReadOnlyList<(string Name, byte[] Blob)> Signatures { get; }

    /// <exception cref="FormatException">Not a signed checkpoint note.</exception>
    public static Checkpoint Parse(string text)
    {
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0 || !text.EndsWith('\n')) throw new FormatException("a checkpoint is a body, a blank line and signature lines, each ending in a line feed");
        var body = text[..(blank + 1)];
        var lines = body.Split('\n');
        // origin, size, root, then the empty string after the last line feed; extension lines are allowed by the format
        if (lines.Length < 4 || lines[0].Length == 0) throw new FormatException("a checkpoint body has an origin, a size and a root");
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) throw new FormatException($"'{lines[1]}' is not a tree size");
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("the root is not base64");
        }
        if (root.Length != 32) throw new FormatException("the root is not a SHA-256 hash");

        var signatures = new List<(string, byte[])>();
        foreach (var line in text[(blank + 2)..^1].Split('\n'))
        {
            var parts = line.StartsWith(SignaturePrefix, StringComparison.Ordinal) ? line[SignaturePrefix.Length..].Split(' ') : [];
            if (parts.Length != 2) throw new FormatException("a signature line is '\u2014 name base64'");
            try
            {
                signatures.Add((parts[0], Convert.FromBase64String(parts[1])));
            }
            catch (FormatException)
            {
                throw new FormatException("a signature is not base64");
            }
        }
        return new Checkpoint(text, body, lines[0], size, root, signatures);
    }

    /// <summary>Whether a signature of this note verifies with <paramref name="verifierKey"/> (<c>name+hash+base64(0x01 || key)</c>).</summary>
    public bool SignedBy(string verifierKey)
    {
        if (VerifierKey.TryParse(verifierKey) is not { } key) return false;
        var body = Encoding.UTF8.GetBytes(Body);
        foreach (var (name, blob) in Signatures)
        {
            if (name != key.Name || blob.Length != 68 || BinaryPrimitives.ReadUInt32BigEndian(blob) != key.Hash) continue;
            var ed25519 = new Ed25519Signer();
            ed25519.Init(false, new Ed25519PublicKeyParameters(key.PublicKey, 0));
            ed25519.BlockUpdate(body, 0, body.Length);
            if (ed25519.VerifySignature(blob[4..])) return true;
        }
        return false;
    }
}

/// <summary>A note verifier key: its name, the 4-byte key hash that names it in signatures, and the Ed25519 public key.</summary>
public sealed record class VerifierKey(string Name, uint Hash, byte[] PublicKey)
{
    /// <summary>The key, or null when the text is not an Ed25519 verifier key whose hash matches its name and key.</summary>
    public static VerifierKey? TryParse(string text)
    {
        var parts = text.Trim().Split('+', 3);   // the key's base64 may itself hold '+'
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length != 8) return null;
        if (!uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash)) return null;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (key.Length != 33 || key[0] != 1) return null;
        var expected = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData([.. Encoding.UTF8.GetBytes(parts[0]), (byte)'\n', .. key]));
        return expected == hash ? new VerifierKey(parts[0], hash, key[1..]) : null;
    }
}
