using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace OmniBridge.Tests.Transparency;

/// <summary>
/// A checkpoint read and checked the way a client would, with BouncyCastle's Ed25519 (not the
/// library that signed it): the signed-note format of golang.org/x/mod/sumdb/note and the C2SP
/// tlog-checkpoint body.
/// </summary>
public sealed record class SignedNote(string Origin, long Size, byte[] Root, string KeyName, uint KeyHash, byte[] Signature, byte[] Body)
{
    const string Dash = "\u2014 ";

    /// <exception cref="FormatException">Not a note with a checkpoint body and one signature.</exception>
    public static SignedNote Parse(string text)
    {
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !text.EndsWith('\n')) throw new FormatException("no blank line before the signatures, or no final newline");
        var body = text[..(split + 1)];
        var signatures = text[(split + 2)..].TrimEnd('\n').Split('\n');
        if (signatures.Length != 1 || !signatures[0].StartsWith(Dash, StringComparison.Ordinal)) throw new FormatException("expected one signature line");
        var parts = signatures[0][Dash.Length..].Split(' ');
        if (parts.Length != 2) throw new FormatException("signature line is not '— name base64'");
        var blob = Convert.FromBase64String(parts[1]);
        if (blob.Length != 68) throw new FormatException("an Ed25519 note signature is 4 + 64 bytes");
        var lines = body.TrimEnd('\n').Split('\n');
        if (lines.Length != 3) throw new FormatException("a checkpoint body has origin, size and root lines, and no extension");
        return new SignedNote(lines[0], long.Parse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture), Convert.FromBase64String(lines[2]),
            parts[0], BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..], Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Whether the verifier key <c>name+hash+base64(0x01 || key)</c> signed this note.</summary>
    public bool VerifiedBy(string verifierKey)
    {
        var parts = verifierKey.Trim().Split('+', 3);
        if (parts.Length != 3 || parts[0] != KeyName) return false;
        var key = Convert.FromBase64String(parts[2]);
        if (key.Length != 33 || key[0] != 1) return false;
        var hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(parts[0]), (byte)'\n', .. key]);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(hash);
        if (expected != KeyHash || parts[1] != expected.ToString("x8", CultureInfo.InvariantCulture)) return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(key, 1));
        verifier.BlockUpdate(Body, 0, Body.Length);
        return verifier.VerifySignature(Signature);
    }
}
