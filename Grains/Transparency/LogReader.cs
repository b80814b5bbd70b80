using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Transparency;

/// <summary>
/// Turns stored hashes into roots and proofs, and records into leaves and nodes
/// (docs/transparency.md, "Storage"): every proof is one read of O(log n) stored hashes.
/// </summary>
public sealed class LogReader(ITransparencyLogStore log)
{
    /// <summary>The root hash of the namespace's tree of <paramref name="size"/> leaves.</summary>
    public async Task<byte[]> RootAsync(string namespaceName, long size, CancellationToken cancellationToken = default)
    {
        var span = new MerkleTree.Span(0, size);
        return await HashesAsync(namespaceName, [span], cancellationToken) is [var root] ? root : MerkleHash.Empty();
    }

    /// <summary>The audit path of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves, leaf level first.</summary>
    public Task<IReadOnlyList<byte[]>> InclusionAsync(string namespaceName, long index, long size, CancellationToken cancellationToken = default) =>
        HashesAsync(namespaceName, MerkleTree.InclusionPath(index, size), cancellationToken);

    /// <summary>The consistency proof from the tree of <paramref name="old"/> leaves to the one of <paramref name="size"/>.</summary>
    public Task<IReadOnlyList<byte[]>> ConsistencyAsync(string namespaceName, long old, long size, CancellationToken cancellationToken = default) =>
        HashesAsync(namespaceName, MerkleTree.ConsistencyPath(old, size), cancellationToken);

    /// <summary>The leaves and nodes that append <paramref name="records"/> to the tree at <paramref name="tip"/>.</summary>
    public static LogAppend Plan(LogTip tip, IReadOnlyList<LeafFields> records)
    {
        var leaves = records.Select(r => (r.StampId, LogLeaf.Of(r))).ToList();
        var nodes = MerkleTree.Append(tip.Size, tip.Frontier, [.. leaves.Select(l => MerkleHash.Leaf(l.Item2))]);
        return new LogAppend(leaves, nodes);
    }

    async Task<IReadOnlyList<byte[]>> HashesAsync(string namespaceName, IReadOnlyList<MerkleTree.Span> spans, CancellationToken cancellationToken)
    {
        var wanted = spans.Where(s => s.Size > 0).SelectMany(MerkleTree.NodesOf).Distinct().ToList();
        if (wanted.Count == 0) return [];
        var nodes = await log.NodesAsync(namespaceName, wanted, cancellationToken);
        return [.. spans.Where(s => s.Size > 0).Select(span => MerkleTree.HashOf(span, n => nodes[n]))];
    }
}
