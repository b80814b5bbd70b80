using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Where the namespaces' transparency logs live: leaves, the stored hashes of perfect subtrees,
/// checkpoints, and the records' log indices (docs/transparency.md, "Storage"). Implemented in memory for the
/// embedded default and on PostgreSQL; both pass the same contract tests.
/// </summary>
public interface ITransparencyLogStore
{
    /// <summary>
    /// In one transaction: reads the log's size and frontier, takes up to <paramref name="limit"/>
    /// of the namespace's records that have no leaf yet, oldest first (what their leaves say of them), lets <paramref name="plan"/>
    /// turn them into leaves and nodes, stores those with each record's leaf index, and takes the records off the backlog. A failure
    /// stores nothing, so every record gets exactly one leaf however often this is cut short.
    /// Returns the log's size afterwards.
    /// </summary>
    Task<long> IntegrateAsync(string namespaceName, int limit, Func<LogTip, IReadOnlyList<LeafFields>, LogAppend> plan, CancellationToken cancellationToken = default);

    /// <summary>The number of leaves in the namespace's log (0 for a log never written).</summary>
    Task<long> SizeAsync(string namespaceName, CancellationToken cancellationToken = default);

    /// <summary>The stored hashes of <paramref name="nodes"/>; every one asked for must exist.</summary>
    Task<IReadOnlyDictionary<TreeNode, byte[]>> NodesAsync(string namespaceName, IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken = default);

    /// <summary>Leaves from <paramref name="start"/>, at most <paramref name="limit"/>, below <paramref name="size"/>.</summary>
    Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit, long size, CancellationToken cancellationToken = default);

    /// <summary>The latest stored checkpoint, or null.</summary>
    Task<string?> CheckpointAsync(string namespaceName, CancellationToken cancellationToken = default);

    /// <summary>Stores a checkpoint as the latest unless one of a larger size is stored already.</summary>
    Task SaveCheckpointAsync(string namespaceName, long size, string note, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> namespaces that have records without a log index.</summary>
    Task<IReadOnlyList<string>> BackloggedNamespacesAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>A log's size and the hashes of its frontier (<see cref="MerkleTree.Frontier"/>), left to right.</summary>
public sealed record class LogTip(long Size, IReadOnlyList<byte[]> Frontier);

/// <summary>What an integration stores: the new leaves (each with its record) and every node they add.</summary>
public sealed record class LogAppend(IReadOnlyList<(Guid StampId, byte[] Leaf)> Leaves, IReadOnlyList<(TreeNode Node, byte[] Hash)> Nodes);
