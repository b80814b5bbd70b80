using System.Numerics;
using System.Security.Cryptography;

namespace OmniBridge.Cli.Transparency;

/// <summary>
/// Checks RFC 9162 proofs (docs/transparency.md, "Leaves"): leaf hash <c>SHA-256(0x00 || leaf)</c>,
/// node <c>SHA-256(0x01 || left || right)</c>. A proof is read as the inner part, where the leaf's
/// path and the tree's right border part ways (one hash per level, left or right by the index's
/// bit), then the border, where the path only ever takes hashes from the left.
/// </summary>
public static class MerkleProofs
{
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var input = new byte[leaf.Length + 1];
        leaf.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[33..]);
        return SHA256.HashData(input);
    }

    /// <summary>Whether <paramref name="path"/> leads from leaf <paramref name="index"/> to <paramref name="root"/> in a tree of <paramref name="size"/> leaves.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != 32 || root.Length != 32) return false;
        var (inner, border) = Shape(index, size);
        if (path.Count != inner + border || path.Any(h => h.Length != 32)) return false;
        var hash = ChainInner(leafHash.ToArray(), path.Take(inner), index);
        hash = ChainBorder(hash, path.Skip(inner));
        return hash.AsSpan().SequenceEqual(root);
    }

    /// <summary>Whether <paramref name="proof"/> shows that the tree of <paramref name="newSize"/> leaves extends the one of <paramref name="oldSize"/>.</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize || proof.Any(h => h.Length != 32)) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        if (oldSize == 0) return proof.Count == 0;   // the empty tree is a prefix of every tree

        var (inner, border) = Shape(oldSize - 1, newSize);
        var shift = BitOperations.TrailingZeroCount(oldSize);
        inner -= shift;
        // When the old tree is a perfect subtree its root is the proof's unstated first hash.
        var perfect = oldSize == 1L << shift;
        var seed = perfect ? oldRoot.ToArray() : proof.Count > 0 ? proof[0] : [];
        var rest = perfect ? proof : proof.Skip(1).ToList();
        if (seed.Length != 32 || rest.Count != inner + border) return false;

        var mask = (oldSize - 1) >> shift;
        var oldHash = ChainBorder(ChainInnerRight(seed, rest.Take(inner), mask), rest.Skip(inner));
        var newHash = ChainBorder(ChainInner(seed, rest.Take(inner), mask), rest.Skip(inner));
        return oldHash.AsSpan().SequenceEqual(oldRoot) && newHash.AsSpan().SequenceEqual(newRoot);
    }

    /// <summary>How many hashes of a proof for leaf <paramref name="index"/> are inner, and how many on the border.</summary>
    static (int Inner, int Border) Shape(long index, long size)
    {
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(index ^ (size - 1)));
        return (inner, BitOperations.PopCount((ulong)index >> inner));
    }

    /// <summary>Up the inner levels: a set bit of <paramref name="index"/> puts the proof's hash on the left.</summary>
    static byte[] ChainInner(byte[] seed, IEnumerable<byte[]> hashes, long index)
    {
        var level = 0;
        foreach (var hash in hashes)
        {
            seed = ((index >> level++) & 1) == 0 ? Node(seed, hash) : Node(hash, seed);
        }
        return seed;
    }

    /// <summary>The old tree's view of the inner levels: only hashes on the left belong to it.</summary>
    static byte[] ChainInnerRight(byte[] seed, IEnumerable<byte[]> hashes, long index)
    {
        var level = 0;
        foreach (var hash in hashes)
        {
            if (((index >> level++) & 1) == 1) seed = Node(hash, seed);
        }
        return seed;
    }

    static byte[] ChainBorder(byte[] seed, IEnumerable<byte[]> hashes)
    {
        foreach (var hash in hashes) seed = Node(hash, seed);
        return seed;
    }
}
