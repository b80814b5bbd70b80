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

    /// <summary>
    /// A tile with the hashes of every level it spans, folded once from its stored hashes when it
    /// is read or written: every node it holds is then a lookup, for every proof that needs it.
    /// </summary>
    public sealed class Expanded
    {
        // levels[r]: the hashes of the nodes r levels above the tile's stored level, left to right.
        readonly byte[][] levels;

        public Expanded(byte[] hashes)
        {
            if (hashes.Length % HashSize != 0 || hashes.Length > LogTiles.Width * HashSize)
                throw new ArgumentException($"a tile holds up to {LogTiles.Width} hashes of {HashSize} bytes, not {hashes.Length} bytes", nameof(hashes));
            levels = new byte[Height][];
            levels[0] = hashes;
            for (var r = 1; r < Height; r++)
            {
                var below = levels[r - 1];
                var level = new byte[below.Length / HashSize / 2 * HashSize];
                for (var i = 0; i < level.Length / HashSize; i++)
                    MerkleHash.Interior(below.AsSpan(2 * i * HashSize, HashSize), below.AsSpan((2 * i + 1) * HashSize, HashSize)).CopyTo(level, i * HashSize);
                levels[r] = level;
            }
        }

        /// <summary>The stored hashes it holds.</summary>
        public int Width => levels[0].Length / HashSize;

        /// <summary>Bytes it takes in memory.</summary>
        public long Size => levels.Sum(l => (long)l.Length);

        /// <summary>The hash of <paramref name="node"/>, which this tile holds (see <see cref="Holding"/>).</summary>
        public byte[] HashOf(TreeNode node)
        {
            var below = node.Level % Height;
            var position = (int)(node.Index & ((1L << (Height - below)) - 1));
            if ((position + 1) * HashSize > levels[below].Length)
                throw new InvalidOperationException($"a tile of {Width} hashes does not hold node {node}");
            return levels[below].AsSpan(position * HashSize, HashSize).ToArray();
        }
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
