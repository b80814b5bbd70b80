namespace OmniBridge.Grains.Transparency;

/// <summary>
/// Tiles: a log's hashes stored a few rows per proof instead of a row per hash (docs/transparency.md,
/// "Storage"). Tile (level L, index t) holds the hashes of the tree's nodes at level L·<see cref="Height"/>
/// with indices t·<see cref="Width"/> to t·<see cref="Width"/> + <see cref="Width"/> − 1, as many as
/// exist, concatenated; a tile only ever grows at its end. A node whose level lies between two tile
/// levels is folded from the hashes under it in one tile. So any stored node is one tile away, and
/// an audit path of a tree of 2^20 leaves reads at most six tiles, most of them shared by every proof.
/// Pure: the store reads and writes the rows, this says which and combines them.
/// </summary>
public static class LogTiles
{
    /// <summary>Tree levels per tile: a full tile holds 2^7 = 128 hashes, 4 KiB, which fits in one PostgreSQL page.</summary>
    public const int Height = 7;

    /// <summary>Hashes in a full tile.</summary>
    public const int Width = 1 << Height;

    /// <summary>Bytes of one hash in a tile.</summary>
    public const int HashSize = 32;

    /// <summary>A tile's place: its level (tree level <c>Level × Height</c>) and its index at that level.</summary>
    public readonly record struct TileId(int Level, long Index);

    /// <summary>The tile that <paramref name="node"/> is folded from, and how many of its hashes must exist for that.</summary>
    public static (TileId Tile, int Needed) Holding(TreeNode node)
    {
        var below = node.Level % Height;
        var first = node.Index << below;
        return (new TileId(node.Level / Height, first >> Height), (int)(first & (Width - 1)) + (1 << below));
    }

    /// <summary>The hash of <paramref name="node"/> from the hashes of the tile that holds it (see <see cref="Holding"/>).</summary>
    public static byte[] HashOf(TreeNode node, ReadOnlySpan<byte> tile)
    {
        var below = node.Level % Height;
        var first = (int)((node.Index << below) & (Width - 1));
        var count = 1 << below;
        if (tile.Length < (first + count) * HashSize)
            throw new InvalidOperationException($"a tile of {tile.Length / HashSize} hashes cannot hold node {node}");
        return Fold(tile.Slice(first * HashSize, count * HashSize));
    }

    /// <summary>The root of the perfect subtree whose leaves-level hashes are <paramref name="hashes"/> (a power of two of them).</summary>
    static byte[] Fold(ReadOnlySpan<byte> hashes)
    {
        var level = hashes.ToArray();
        for (var count = hashes.Length / HashSize; count > 1; count /= 2)
        {
            for (var i = 0; i < count / 2; i++)
                MerkleHash.Interior(level.AsSpan(2 * i * HashSize, HashSize), level.AsSpan((2 * i + 1) * HashSize, HashSize)).CopyTo(level, i * HashSize);
        }
        return level[..HashSize];
    }

    /// <summary>
    /// What appending <paramref name="nodes"/> (the nodes an integration adds, as
    /// <see cref="MerkleTree.Append"/> lists them) writes: for each tile they reach, the position of
    /// the first new hash and the new hashes in order. Nodes between tile levels are not stored.
    /// </summary>
    public static IReadOnlyList<TileAppend> Appends(IEnumerable<(TreeNode Node, byte[] Hash)> nodes) =>
    [
        .. nodes.Where(n => n.Node.Level % Height == 0)
            .GroupBy(n => new TileId(n.Node.Level / Height, n.Node.Index >> Height))
            .Select(tile =>
            {
                var ordered = tile.OrderBy(n => n.Node.Index).ToList();
                var offset = (int)(ordered[0].Node.Index & (Width - 1));
                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Node.Index != ordered[0].Node.Index + i)
                        throw new ArgumentException($"the nodes appended to tile {tile.Key} are not contiguous", nameof(nodes));
                }
                return new TileAppend(tile.Key, offset, [.. ordered.SelectMany(n => n.Hash)]);
            }),
    ];

    /// <summary>New hashes for a tile: <see cref="Hashes"/> go at hash position <see cref="Offset"/>, which is the tile's width before.</summary>
    public sealed record class TileAppend(TileId Tile, int Offset, byte[] Hashes)
    {
        /// <summary>The tile's width in hashes once appended.</summary>
        public int WidthAfter => Offset + Hashes.Length / HashSize;
    }
}
