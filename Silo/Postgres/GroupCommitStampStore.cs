using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using OmniBridge.Grains.Concurrency;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Group commit for single stamps (docs/architecture.md, "Persistence"): concurrent
/// <see cref="AddAsync"/> calls are written together as one <see cref="PostgresStampStore.AddBatchAsync"/>
/// (one statement, one transaction, one WAL flush) by a few writers, each taking whatever is waiting
/// when it is free. Nothing waits for a timer: a lone stamp is written at once, and under load a
/// statement carries the stamps that arrived while the previous one committed.
/// Each caller still gets its own outcome (created, or the record that exists); one record per
/// (namespace, file hash) is kept by the statement as in any batch; a call returns only once its
/// statement has committed; and a stamp the database refuses fails alone (the group is written
/// again one by one), while an outage fails the group as it would fail each stamp.
/// Tracing: every traced stamp gets a "stamp group commit" span in its request's trace; the
/// statement's span (Npgsql's) goes under the first stamp's, and the others link to that one.
/// Lookups by key are gathered the same way (<see cref="GatheredReads{TKey, TValue}"/>): concurrent
/// <see cref="FindAsync"/> calls are one statement.
/// </summary>
public sealed class GroupCommitStampStore : IStampStore, IAsyncDisposable
{
    /// <summary>
    /// Statements in flight at once: while one commits, the next group gathers. More make smaller
    /// groups that contend in the database: at 64 connections on 2 cores, 2 writers gave /stamp a p99
    /// of 26 to 27 ms, 4 gave 36 to 37 and 8 gave 44 to 54, at the same rate (bench/README.md,
    /// "Two group-commit writers").
    /// </summary>
    public const int Writers = 2;

    /// <summary>Where the group commit spans come from.</summary>
    public const string SourceName = "OmniBridge.Postgres";
    static readonly ActivitySource Source = new(SourceName);

    readonly PostgresStampStore store;
    readonly Histogram<int>? groupSizes;
    readonly Channel<PendingStamp> pending = Channel.CreateUnbounded<PendingStamp>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    readonly Task[] writers;
    readonly GatheredReads<(string Namespace, string FileHash), StampRecord> lookups;
    long statements, grouped;

    public GroupCommitStampStore(PostgresStampStore store, IMeterFactory? meters = null)
    {
        this.store = store;
        groupSizes = meters?.Create(StoreGauges.MeterName).CreateHistogram<int>("omnibridge.stamps.group_size", "{stamp}",
            "Single stamps written by one statement (group commit)", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000] });
        writers = Gathering.Start(pending.Reader, Writers, Limits.BatchItems, _ => 1, WriteAsync);
        lookups = new(Writers, Limits.BatchItems, store.FindManyAsync);
    }

    /// <summary>Statements written for single stamps so far (a group is one).</summary>
    public long Statements => Interlocked.Read(ref statements);

    /// <summary>Single stamps written so far; <see cref="Grouped"/> over <see cref="Statements"/> is the mean group size.</summary>
    public long Grouped => Interlocked.Read(ref grouped);

    public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default)
    {
        var stamp = new PendingStamp(record, events);
        // After shutdown began nothing gathers any more: the stamp is written on its own.
        return pending.Writer.TryWrite(stamp) ? WaitAsync(stamp, cancellationToken) : store.AddAsync(record, events, cancellationToken);
    }

    /// <summary>
    /// The stamp's outcome, within the store's deadline from its arrival: a stamp queued behind
    /// statements that hang gets its 503 in time, and is left out of every statement that has not
    /// started yet. (One already sent may still commit it, like any statement that outlives its
    /// deadline; the caller's retry then finds the record.)
    /// </summary>
    static async Task<StoredStamp> WaitAsync(PendingStamp stamp, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresFailure.AwaitAsync(stamp.Stored.Task, cancellationToken);
        }
        catch (Exception e) when (e is DependencyUnavailableException or OperationCanceledException)
        {
            stamp.Stored.TrySetException(e);
            throw;
        }
    }

    public Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) =>
        store.AddBatchAsync(records, events, cancellationToken);

    public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) =>
        PostgresFailure.AwaitAsync(lookups.GetAsync((namespaceName, fileHash), CancellationToken.None), cancellationToken);

    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) =>
        store.ListAsync(namespaceName, limit, after, cancellationToken);

    /// <summary>Writes what is still waiting, then stops the writers.</summary>
    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        lookups.Dispose();
        await Task.WhenAll(writers);
    }

    /// <summary>Writes the stamps of a group whose callers still wait.</summary>
    Task WriteAsync(List<PendingStamp> group)
    {
        group.RemoveAll(s => s.Stored.Task.IsCompleted);
        return group.Count switch
        {
            0 => Task.CompletedTask,
            1 => WriteAloneAsync(group[0]),
            _ => WriteTogetherAsync(group),
        };
    }

    async Task WriteTogetherAsync(List<PendingStamp> group)
    {
        IReadOnlyList<StoredStamp> stored;
        var first = StartSpan(group[0], group.Count, link: null);
        var spans = group.Skip(1).Select(s => StartSpan(s, group.Count, first?.Context)).Prepend(first).ToList();
        try
        {
            // The statement's own span (Npgsql's) goes under the first stamp's.
            Activity.Current = first;
            stored = await store.AddBatchAsync([.. group.Select(s => s.Record)], Merge(group));
            Counted(group.Count);
        }
        catch (Exception e) when (e is DependencyUnavailableException || PostgresFailure.IsOutage(e))
        {
            foreach (var stamp in group) stamp.Stored.TrySetException(e);
            return;
        }
        catch (Exception)
        {
            // Something in one stamp the database refuses: the others must not fail with it.
            await Task.WhenAll(group.Select(WriteAloneAsync));
            return;
        }
        finally
        {
            foreach (var span in spans) span?.Dispose();
        }
        for (var i = 0; i < group.Count; i++) group[i].Stored.TrySetResult(stored[i]);
    }

    async Task WriteAloneAsync(PendingStamp stamp)
    {
        try
        {
            using var span = StartSpan(stamp, 1, link: null);
            Activity.Current = span;
            var stored = await store.AddAsync(stamp.Record, stamp.Events);
            Counted(1);
            stamp.Stored.TrySetResult(stored);
        }
        catch (Exception e)
        {
            stamp.Stored.TrySetException(e);
        }
    }

    /// <summary>
    /// A span in the trace of the request that sent <paramref name="stamp"/> (none if it is not
    /// traced), linked to the span under which its group's statement ran when that is another's.
    /// </summary>
    static Activity? StartSpan(PendingStamp stamp, int groupSize, ActivityContext? link) =>
        stamp.Caller is not { } caller ? null : Source.StartActivity("stamp group commit", ActivityKind.Internal, caller,
            tags: [new("omnibridge.group_size", groupSize)], links: link is { } statement ? [new ActivityLink(statement)] : null);

    void Counted(int stamps)
    {
        Interlocked.Increment(ref statements);
        Interlocked.Add(ref grouped, stamps);
        groupSizes?.Record(stamps);
    }

    /// <summary>Every stamp's events in one set: each created event is still written only with its own record (its id is its stamp id).</summary>
    static StampOutboxEvents? Merge(List<PendingStamp> group) =>
        group.All(s => s.Events is null) ? null : new StampOutboxEvents(
            [.. group.SelectMany(s => s.Events?.IfCreated ?? [])],
            [.. group.SelectMany(s => s.Events?.Always ?? [])]);

    sealed record class PendingStamp(StampRecord Record, StampOutboxEvents? Events)
    {
        /// <summary>The span of the request that sent the stamp, if it is traced.</summary>
        public ActivityContext? Caller { get; } = Activity.Current?.Context;

        public TaskCompletionSource<StoredStamp> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
