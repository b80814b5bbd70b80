using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// An Ed25519 key of the signed-note format (docs/transparency.md, "Keys"): the signer key
/// <c>PRIVATE+KEY+{name}+{hash}+{base64(0x01 || seed)}</c> and the verifier key
/// <c>{name}+{hash}+{base64(0x01 || public key)}</c>, where the hash is the first 4 bytes of
/// SHA-256(name || "\n" || 0x01 || public key), written as 8 hex digits.
/// </summary>
public sealed class NoteKey : IDisposable
{
    const byte Ed25519Algorithm = 1;
    static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    readonly Key key;

    NoteKey(string name, Key key)
    {
        Name = name;
        this.key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Hash = HashOf(name, PublicKey);
    }

    /// <summary>The key's name: the signature line names it, and it is the default log origin.</summary>
    public string Name { get; }

    public byte[] PublicKey { get; }

    /// <summary>The key hash that prefixes each signature.</summary>
    public uint Hash { get; }

    /// <summary>The public verifier key.</summary>
    public string VerifierKey => $"{Name}+{Hash:x8}+{Convert.ToBase64String([Ed25519Algorithm, .. PublicKey])}";

    /// <summary>The private signer key: a secret.</summary>
    public string SignerKey => $"PRIVATE+KEY+{Name}+{Hash:x8}+{Convert.ToBase64String([Ed25519Algorithm, .. key.Export(KeyBlobFormat.RawPrivateKey)])}";

    /// <summary>A new random key.</summary>
    public static NoteKey Generate(string name)
    {
        CheckName(name);
        return new NoteKey(name, Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>Reads a signer key.</summary>
    /// <exception cref="FormatException">It is not a signer key of an Ed25519 note key, or its hash does not match.</exception>
    public static NoteKey Parse(string signerKey)
    {
        var parts = signerKey.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY")
            throw new FormatException("expected PRIVATE+KEY+{name}+{8 hex digits}+{base64 key}");
        CheckName(parts[2]);
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            throw new FormatException("the key part is not base64");
        }
        if (blob.Length != 33 || blob[0] != Ed25519Algorithm) throw new FormatException("the key part is not 0x01 followed by a 32-byte Ed25519 seed");
        var key = Key.Import(Algorithm, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var note = new NoteKey(parts[2], key);
        if (!string.Equals(parts[3], note.Hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            note.Dispose();
            throw new FormatException("the key hash does not match the name and key");
        }
        return note;
    }

    /// <summary>The Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(key, message);

    public void Dispose() => key.Dispose();

    static uint HashOf(string name, byte[] publicKey)
    {
        var digest = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), (byte)'\n', Ed25519Algorithm, .. publicKey]);
        return (uint)(digest[0] << 24 | digest[1] << 16 | digest[2] << 8 | digest[3]);
    }

    /// <summary>A key name is non-empty text without spaces, '+' or control characters (the note format's rule).</summary>
    static void CheckName(string name)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+'))
            throw new FormatException($"'{name}' is not a key name: it must be non-empty, without spaces or '+'");
    }
}
