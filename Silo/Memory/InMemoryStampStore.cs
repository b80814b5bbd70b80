using System.Collections.Concurrent;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's stamp store: records live as long as the process. Each namespace is
/// locked on its own, so uniqueness per (namespace, file hash) holds under concurrent requests
/// and namespaces never wait on each other.
/// </summary>
public sealed partial class InMemoryStampStore : IStampStore
{
    readonly ConcurrentDictionary<string, Shelf> shelves = new(StringComparer.Ordinal);

    // The embedded default has no outbox (events go to Kafka only with PostgreSQL): events are not kept.
    public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(ShelfOf(record.Namespace).Add(record));

    public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredStamp>>(records.Select(r => ShelfOf(r.Namespace).Add(r)).ToList());

    public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf) ? shelf.Find(fileHash) : null);

    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) =>
        Task.FromResult(shelves.TryGetValue(namespaceName, out var shelf)
            ? shelf.List(limit, after)
            : new StampPage { Records = [] });

    Shelf ShelfOf(string namespaceName) => shelves.GetOrAdd(namespaceName, static _ => new Shelf());

    /// <summary>One namespace's records, by hash and in listing order, and its reducer's ledger.</summary>
    sealed partial class Shelf
    {
        readonly Lock gate = new();
        readonly Dictionary<string, StampRecord> byHash = new(StringComparer.Ordinal);
        // Listing order, oldest first. Records arrive almost in time order (version 7 ids, current
        // time), so inserting is nearly always an append; a cursor is found by binary search.
        readonly List<(ListingKey Key, StampRecord Record)> order = [];

        public StoredStamp Add(StampRecord record)
        {
            lock (gate)
            {
                if (byHash.TryGetValue(record.FileHash, out var existing)) return new StoredStamp(Logged(existing), Created: false);
                byHash.Add(record.FileHash, record);
                unfolded.Add(record.StampId, record);
                unlogged.Add(record);
                var key = ListingKey.Of(record.CreatedAt, record.StampId);
                var at = order.Count > 0 && order[^1].Key.CompareTo(key) < 0 ? order.Count : ~PositionOf(key);
                order.Insert(at, (key, record));
                return new StoredStamp(record, Created: true);
            }
        }

        public StampRecord? Find(string fileHash)
        {
            lock (gate) return byHash.TryGetValue(fileHash, out var record) ? Logged(record) : null;
        }

        public StampPage List(int limit, StampCursor? after)
        {
            lock (gate)
            {
                // Newest first, strictly below the cursor; one more than a page tells whether another exists.
                var below = after is null ? order.Count : CountBelow(ListingKey.Of(after.CreatedAt, after.StampId));
                var page = new List<StampRecord>(Math.Min(limit + 1, below));
                for (var i = below - 1; i >= 0 && page.Count <= limit; i--) page.Add(Logged(order[i].Record));
                var more = page.Count > limit;
                if (more) page.RemoveAt(limit);
                return new StampPage { Records = page, Next = more ? StampCursor.After(page[^1]) : null };
            }
        }

        /// <summary>How many records sort strictly before <paramref name="key"/>.</summary>
        int CountBelow(ListingKey key)
        {
            var position = PositionOf(key);
            return position >= 0 ? position : ~position;
        }

        /// <summary>The index of <paramref name="key"/>, or the complement of where it would go.</summary>
        int PositionOf(ListingKey key)
        {
            int low = 0, high = order.Count - 1;
            while (low <= high)
            {
                var mid = low + (high - low) / 2;
                var comparison = order[mid].Key.CompareTo(key);
                if (comparison == 0) return mid;
                if (comparison < 0) low = mid + 1;
                else high = mid - 1;
            }
            return ~low;
        }
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
