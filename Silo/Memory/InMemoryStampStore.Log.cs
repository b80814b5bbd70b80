using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's transparency logs live beside the records they cover: taking records
/// in and setting their log indices happen under the namespace's lock, as one step
/// (docs/transparency.md, "Storage").
/// </summary>
public sealed partial class InMemoryStampStore : ITransparencyLogStore
{
    public Task<long> IntegrateAsync(string namespaceName, int limit, Func<LogTip, IReadOnlyList<LeafFields>, LogAppend> plan, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.Integrate(limit, plan) : 0);

    public Task<long> SizeAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.LogSize : 0);

    public Task<IReadOnlyDictionary<TreeNode, byte[]>> NodesAsync(string namespaceName, IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<TreeNode, byte[]>>(ShelfOf(namespaceName).Nodes(nodes));

    public Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit, long size, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<LogEntry>>(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.Entries(start, limit, size) : []);

    public Task<string?> CheckpointAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.Checkpoint : null);

    public Task SaveCheckpointAsync(string namespaceName, long size, string note, CancellationToken cancellationToken = default)
    {
        ShelfOf(namespaceName).SaveCheckpoint(size, note);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> BackloggedNamespacesAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. shelves.Where(s => s.Value.HasBacklog).Select(s => s.Key).Take(limit)]);

    sealed partial class Shelf
    {
        // Records without a leaf, in the order they were created.
        readonly List<StampRecord> unlogged = [];
        readonly Dictionary<Guid, long> logIndices = [];
        readonly List<byte[]> leaves = [];
        // levels[l][i] is the hash of the perfect subtree of 2^l leaves starting at leaf i × 2^l.
        readonly List<List<byte[]>> levels = [];
        long checkpointSize = -1;

        public string? Checkpoint { get; private set; }

        public long LogSize
        {
            get
            {
                lock (gate) return leaves.Count;
            }
        }

        public bool HasBacklog
        {
            get
            {
                lock (gate) return unlogged.Count > 0;
            }
        }

        StampRecord Logged(StampRecord record) => logIndices.TryGetValue(record.StampId, out var index) ? record with { LogIndex = index } : record;

        public long Integrate(int limit, Func<LogTip, IReadOnlyList<LeafFields>, LogAppend> plan)
        {
            lock (gate)
            {
                var taken = unlogged.Take(limit).ToList();
                if (taken.Count == 0) return leaves.Count;
                var tip = new LogTip(leaves.Count, [.. MerkleTree.Frontier(leaves.Count).Select(Node)]);
                var append = plan(tip, taken.ConvertAll(LeafFields.Of));
                foreach (var (stampId, leaf) in append.Leaves)
                {
                    logIndices.Add(stampId, leaves.Count);
                    leaves.Add(leaf);
                }
                foreach (var (node, hash) in append.Nodes)
                {
                    while (levels.Count <= node.Level) levels.Add([]);
                    if (levels[node.Level].Count != node.Index) throw new InvalidOperationException($"node {node} does not extend level {node.Level} of {levels[node.Level].Count}");
                    levels[node.Level].Add(hash);
                }
                unlogged.RemoveRange(0, append.Leaves.Count);
                return leaves.Count;
            }
        }

        public Dictionary<TreeNode, byte[]> Nodes(IReadOnlyCollection<TreeNode> nodes)
        {
            lock (gate) return nodes.ToDictionary(n => n, Node);
        }

        byte[] Node(TreeNode node) => levels[node.Level][(int)node.Index];

        public List<LogEntry> Entries(long start, int limit, long size)
        {
            lock (gate)
            {
                var end = Math.Min(Math.Min(size, leaves.Count), start + limit);
                var entries = new List<LogEntry>();
                for (var i = start; i < end; i++) entries.Add(new LogEntry { Index = i, Leaf = leaves[(int)i] });
                return entries;
            }
        }

        public void SaveCheckpoint(long size, string note)
        {
            lock (gate)
            {
                if (size < checkpointSize) return;
                checkpointSize = size;
                Checkpoint = note;
            }
        }
    }
}
