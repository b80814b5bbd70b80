namespace OmniBridge.Grains.Transparency;

/// <summary>
/// The shape of an RFC 9162 tree over stored perfect subtrees (docs/transparency.md, "Storage"):
/// which stored nodes a root, an audit path or a consistency proof needs, and how to fold them.
/// Every subtree the RFC's recursion visits starts at a multiple of its split point, so it is either
/// one stored node or the fold of at most log2(n) of them: a proof reads O(log n) hashes.
/// Pure: the stores fetch the nodes, this decides which and combines them.
/// </summary>
public static class MerkleTree
{
    /// <summary>The leaves [Start, End) of a subtree of the tree.</summary>
    public readonly record struct Span(long Start, long End)
    {
        public long Size => End - Start;
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2): where RFC 9162 splits a tree.</summary>
    public static long Split(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    /// <summary>The stored nodes whose fold is the hash of <paramref name="span"/>, left to right.</summary>
    public static IEnumerable<TreeNode> NodesOf(Span span)
    {
        var start = span.Start;
        var size = span.Size;
        while (size > 0)
        {
            // The largest power of two not above what is left: the RFC's left subtree, perfect.
            var level = 63 - (int)long.LeadingZeroCount(size);
            yield return new TreeNode(level, start >> level);
            start += 1L << level;
            size -= 1L << level;
        }
    }

    /// <summary>The perfect subtrees that make up a tree of <paramref name="size"/> leaves, left to right.</summary>
    public static IReadOnlyList<TreeNode> Frontier(long size) => [.. NodesOf(new Span(0, size))];

    /// <summary>
    /// The hash of <paramref name="span"/> from its stored nodes: the RFC nests the right part
    /// under each left part, so the fold runs from the right.
    /// </summary>
    public static byte[] HashOf(Span span, Func<TreeNode, byte[]> node)
    {
        if (span.Size == 0) return MerkleHash.Empty();
        var parts = NodesOf(span).ToList();
        var hash = node(parts[^1]);
        for (var i = parts.Count - 2; i >= 0; i--) hash = MerkleHash.Interior(node(parts[i]), hash);
        return hash;
    }

    /// <summary>The subtrees whose hashes are the audit path of leaf <paramref name="index"/> in a tree of <paramref name="size"/> leaves, leaf level first (RFC 9162 §2.1.3.1).</summary>
    public static IReadOnlyList<Span> InclusionPath(long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}");
        var path = new List<Span>();
        long start = 0, end = size;
        // Walk from the root down, noting the sibling at each level; the path lists them bottom up.
        while (end - start > 1)
        {
            var k = Split(end - start);
            if (index < start + k)
            {
                path.Add(new Span(start + k, end));
                end = start + k;
            }
            else
            {
                path.Add(new Span(start, start + k));
                start += k;
            }
        }
        path.Reverse();
        return path;
    }

    /// <summary>The subtrees whose hashes prove that the tree of <paramref name="size"/> leaves extends the one of <paramref name="old"/> (RFC 9162 §2.1.4.1).</summary>
    public static IReadOnlyList<Span> ConsistencyPath(long old, long size)
    {
        if (old <= 0 || old > size) throw new ArgumentOutOfRangeException(nameof(old), $"no consistency proof from {old} to {size}");
        var proof = new List<Span>();
        if (old == size) return proof;
        long start = 0, end = size, m = old;
        var whole = true;
        // SUBPROOF(m, D[start:end], whole), unrolled: each step records one sibling, the innermost last.
        while (m != end - start)
        {
            var k = Split(end - start);
            if (m <= k)
            {
                proof.Add(new Span(start + k, end));
                end = start + k;
            }
            else
            {
                proof.Add(new Span(start, start + k));
                start += k;
                m -= k;
                whole = false;
            }
        }
        if (!whole) proof.Add(new Span(start, end));
        proof.Reverse();
        return proof;
    }

    /// <summary>
    /// The nodes to store when <paramref name="leafHashes"/> are appended to a tree of
    /// <paramref name="size"/> leaves whose frontier hashes are <paramref name="frontier"/>
    /// (see <see cref="Frontier"/>): each new leaf, and each perfect subtree it completes.
    /// </summary>
    public static IReadOnlyList<(TreeNode Node, byte[] Hash)> Append(long size, IReadOnlyList<byte[]> frontier, IReadOnlyList<byte[]> leafHashes)
    {
        var expected = Frontier(size);
        if (frontier.Count != expected.Count) throw new ArgumentException($"a tree of {size} leaves has {expected.Count} frontier nodes, not {frontier.Count}", nameof(frontier));
        // The open subtrees by level: a perfect subtree at each set bit of the size.
        var open = new Dictionary<int, byte[]>();
        for (var i = 0; i < expected.Count; i++) open[expected[i].Level] = frontier[i];
        var added = new List<(TreeNode, byte[])>(leafHashes.Count * 2);
        var n = size;
        foreach (var leaf in leafHashes)
        {
            var hash = leaf;
            var index = n;
            var level = 0;
            added.Add((new TreeNode(0, index), hash));
            // Completing a subtree of 2^(level+1) merges it with its open left sibling, like carrying in binary addition.
            while (((index >> level) & 1) == 1)
            {
                hash = MerkleHash.Interior(open[level], hash);
                open.Remove(level);
                level++;
                added.Add((new TreeNode(level, index >> level), hash));
            }
            open[level] = hash;
            n++;
        }
        return added;
    }
}
