using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Adds stamp records to the store and counts the ones it creates. Every door that creates records
/// (the stamp worker behind /stamp, /batch and grain clients; workflows) adds them here, so each
/// created record is counted once, where it is created, whoever asked for it, and its namespace's
/// transparency log hears of it.
/// </summary>
public sealed class StampRegistry(IStampStore store, GrainMetrics metrics, LogNudge logs)
{
    /// <inheritdoc cref="IStampStore.AddAsync"/>
    public async Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default)
    {
        var stored = await store.AddAsync(record, events, cancellationToken);
        if (stored.Created)
        {
            metrics.StampsCreated(stored.Record.Namespace, 1);
            logs.Created([stored.Record.Namespace]);
        }
        return stored;
    }

    /// <inheritdoc cref="IStampStore.AddBatchAsync"/>
    public async Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default)
    {
        var stored = await store.AddBatchAsync(records, events, cancellationToken);
        foreach (var created in stored.Where(s => s.Created).GroupBy(s => s.Record.Namespace, StringComparer.Ordinal))
            metrics.StampsCreated(created.Key, created.Count());
        logs.Created(stored.Where(s => s.Created).Select(s => s.Record.Namespace));
        return stored;
    }
}
