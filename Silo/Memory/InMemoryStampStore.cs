using System.Collections.Concurrent;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's stamp store: records live as long as the process. Each namespace is
/// locked on its own, so uniqueness per (namespace, file hash) holds under concurrent requests
/// and namespaces never wait on each other.
/// </summary>
public sealed class InMemoryStampStore : IStampStore
{
    readonly ConcurrentDictionary<string, Shelf> shelves = new(StringComparer.Ordinal);

    public Task<StoredStamp> AddAsync(StampRecord record, CancellationToken cancellationToken = default) =>
        Task.FromResult(ShelfOf(record.Namespace).Add(record));

    public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredStamp>>(records.Select(r => ShelfOf(r.Namespace).Add(r)).ToList());

    public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.Find(fileHash) : null);

    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf)
            ? shelf.List(limit, after)
            : new StampPage { Records = [] });

    Shelf ShelfOf(string namespaceName) => shelves.GetOrAdd(namespaceName, static _ => new Shelf());

    /// <summary>One namespace's records, by hash and in listing order.</summary>
    sealed class Shelf
    {
        readonly Lock gate = new();
        readonly Dictionary<string, StampRecord> byHash = new(StringComparer.Ordinal);
        readonly Dictionary<ListingKey, StampRecord> byKey = [];
        readonly SortedSet<ListingKey> order = [];

        public StoredStamp Add(StampRecord record)
        {
            lock (gate)
            {
                if (byHash.TryGetValue(record.FileHash, out var existing)) return new StoredStamp(existing, Created: false);
                byHash.Add(record.FileHash, record);
                var key = ListingKey.Of(record.CreatedAt, record.StampId);
                byKey.Add(key, record);
                order.Add(key);
                return new StoredStamp(record, Created: true);
            }
        }

        public StampRecord? Find(string fileHash)
        {
            lock (gate) return byHash.GetValueOrDefault(fileHash);
        }

        public StampPage List(int limit, StampCursor? after)
        {
            lock (gate)
            {
                // Newest first, strictly below the cursor; one more than a page tells whether another exists.
                var keys = after is null ? order.Reverse() : Below(ListingKey.Of(after.CreatedAt, after.StampId));
                var page = keys.Take(limit + 1).Select(k => byKey[k]).ToList();
                var more = page.Count > limit;
                if (more) page.RemoveAt(limit);
                return new StampPage { Records = page, Next = more ? StampCursor.After(page[^1]) : null };
            }
        }

        IEnumerable<ListingKey> Below(ListingKey cursor) =>
            order.Count == 0 || order.Min.CompareTo(cursor) > 0
                ? []
                : order.GetViewBetween(order.Min, cursor).Reverse().SkipWhile(k => k.CompareTo(cursor) == 0);
    }

    /// <summary>(created_at, stamp_id) ordered as PostgreSQL orders them: uuids compare as their lowercase text.</summary>
    readonly record struct ListingKey(long Ticks, string Id) : IComparable<ListingKey>
    {
        public static ListingKey Of(DateTime createdAt, Guid stampId) => new(createdAt.Ticks, stampId.ToString("D"));

        public int CompareTo(ListingKey other)
        {
            var byTime = Ticks.CompareTo(other.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(Id, other.Id);
        }
    }
}
