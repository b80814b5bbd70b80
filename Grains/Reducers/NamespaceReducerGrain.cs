using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Ports;
using Orleans.Streams;

namespace OmniBridge.Grains.Reducers;

/// <summary>
/// One per namespace (docs/architecture.md, "Reducers"). Stamp-created events arrive on the namespace's stream (an
/// implicit subscription); their ids are gathered and folded into the tally every second, in one
/// ledger transaction that also takes each stamp out of the backlog, so redeliveries, replays and
/// restarts never count a stamp twice. The store is the truth: on activation, and every minute,
/// the reducer also folds any stamp of the namespace that no event brought.
/// </summary>
[ImplicitStreamSubscription(StampStreams.StampCreated)]
public sealed partial class NamespaceReducerGrain(INamespaceLedger ledger, IOptions<ReducerOptions> reducerOptions, GrainMetrics metrics, TimeProvider clock,
    ILogger<NamespaceReducerGrain> log)
    : Grain, INamespaceReducerGrain
{
    readonly ReducerOptions options = reducerOptions.Value;
    readonly HashSet<Guid> pending = [];
    SavedTally saved = null!;
    DateTime nextSweep;
    bool dropped;

    string Namespace => this.GetPrimaryKeyString();
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        saved = await ledger.LoadAsync(Namespace, cancellationToken);
        nextSweep = options.SweepEvery == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.MinValue;
        var stream = this.GetStreamProvider(StampStreams.Provider)
            .GetStream<StampCreated>(StreamId.Create(StampStreams.StampCreated, Namespace));
        await stream.SubscribeAsync((created, _) => OnStampCreatedAsync(created));
        this.RegisterGrainTimer(FoldAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.FoldEvery) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (pending.Count > 0) await TryFoldAsync([.. pending], cancellationToken);
    }

    public Task<NamespaceAggregates> GetAggregatesAsync() => Task.FromResult(saved.Tally.Snapshot(Namespace, Now));

    /// <summary>Only gathers: delivery never waits on the database.</summary>
    Task OnStampCreatedAsync(StampCreated created)
    {
        if (pending.Count < options.MaxPending) pending.Add(created.EventId);
        else dropped = true;
        return Task.CompletedTask;
    }

    async Task FoldAsync(CancellationToken cancellationToken)
    {
        while (pending.Count > 0)
        {
            var ids = pending.Take(options.FoldAtOnce).ToList();
            if (!await TryFoldAsync(ids, cancellationToken)) return;
            pending.ExceptWith(ids);
        }
        if (dropped && options.SweepEvery != Timeout.InfiniteTimeSpan) nextSweep = DateTime.MinValue;
        if (Now >= nextSweep && await TryFoldAsync(null, cancellationToken))
        {
            dropped = false;
            // A full sweep means more may wait: sweep again next tick; otherwise at the usual pace.
            if (saved.Folded < options.FoldAtOnce) nextSweep = Now + options.SweepEvery;
        }
    }

    /// <summary>Folds and saves; on a version conflict (another activation saved first) reloads and tries once more.</summary>
    async Task<bool> TryFoldAsync(IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var now = Now;
                var result = await ledger.FoldAsync(Namespace, saved.Version, ids, options.FoldAtOnce, stamps =>
                {
                    var tally = saved.Tally.Copy();
                    foreach (var stamp in stamps)
                    {
                        tally.Apply(stamp, now);
                        metrics.Folded(now - stamp.CreatedAt);
                    }
                    return tally;
                }, cancellationToken);
                if (result is not null)
                {
                    saved = result;
                    return true;
                }
                saved = await ledger.LoadAsync(Namespace, cancellationToken);
            }
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The ledger is unreachable: the ids stay pending and the next tick tries again.
            LogFoldFailed(log, Namespace, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reducer of {Namespace} could not fold; will retry")]
    static partial void LogFoldFailed(ILogger logger, string @namespace, Exception error);
}
