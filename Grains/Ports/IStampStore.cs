using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Where stamp records live. A record is unique per (namespace, file hash): adding one whose key
/// exists returns the stored record instead, also when identical requests race (docs/protocol.md, "Records and idempotency").
/// Implemented in memory for the embedded default and on PostgreSQL; both pass the same contract tests.
/// </summary>
public interface IStampStore
{
    /// <summary>Stores <paramref name="record"/> unless its namespace already has one for its hash; returns what is stored.</summary>
    Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds many records in one round trip, one result per record in order. A hash repeated within
    /// the batch is stored once; its later occurrences return the first as existing. The
    /// <paramref name="events"/> are written to the event outbox in the same transaction: each
    /// record's only if this call creates it (stores without an outbox ignore them).
    /// </summary>
    Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default);

    /// <summary>The namespace's record for <paramref name="fileHash"/>, or null.</summary>
    Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> records ordered by (created_at, stamp_id) descending, strictly after <paramref name="after"/>.</summary>
    Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default);
}

/// <summary>A record as stored, and whether this call stored it.</summary>
public readonly record struct StoredStamp(StampRecord Record, bool Created);
