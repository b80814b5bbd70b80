using System.Security.Cryptography;

namespace OmniBridge.Grains.Transparency;

/// <summary>The hashes of RFC 9162 §2.1.1: SHA-256 with a 0x00 prefix for leaves and 0x01 for interior nodes.</summary>
public static class MerkleHash
{
    /// <summary>The root of an empty tree: SHA-256 of nothing.</summary>
    public static byte[] Empty() => SHA256.HashData([]);

    public static byte[] Leaf(ReadOnlySpan<byte> leaf)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0]);
        hash.AppendData(leaf);
        return hash.GetHashAndReset();
    }

    public static byte[] Interior(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[33..]);
        return SHA256.HashData(input);
    }
}
