using Microsoft.Extensions.Logging;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Ports;
using Orleans.Streams;

namespace OmniBridge.Grains.Reducers;

/// <summary>
/// One per namespace (SPEC §5.2). Stamp-created events arrive on the namespace's stream (an
/// implicit subscription); their ids are gathered and folded into the tally at most once a second,
/// in one ledger transaction that also marks each stamp folded, so redeliveries, replays and
/// restarts never count a stamp twice. The store is the truth: on activation, and every minute,
/// the reducer also folds any stamp of the namespace that no event brought.
/// </summary>
[ImplicitStreamSubscription(StampStreams.StampCreated)]
public sealed partial class NamespaceReducerGrain(INamespaceLedger ledger, TimeProvider clock, ILogger<NamespaceReducerGrain> log)
    : Grain, INamespaceReducerGrain
{
    static readonly TimeSpan FoldEvery = TimeSpan.FromSeconds(1);
    static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    const int SweepLimit = 10_000;
    const int FoldAtOnce = 20_000;

    readonly HashSet<Guid> pending = [];
    SavedTally saved = null!;
    DateTime nextSweep;

    string Namespace => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        saved = await ledger.LoadAsync(Namespace, cancellationToken);
        var stream = this.GetStreamProvider(StampStreams.Provider)
            .GetStream<StampCreated>(StreamId.Create(StampStreams.StampCreated, Namespace));
        await stream.SubscribeAsync((created, _) => OnStampCreatedAsync(created));
        this.RegisterGrainTimer(FoldAsync, new GrainTimerCreationOptions(TimeSpan.Zero, FoldEvery) { Interleave = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (pending.Count > 0) await TryFoldAsync([.. pending], cancellationToken);
    }

    public Task<NamespaceAggregates> GetAggregatesAsync() =>
        Task.FromResult(saved.Tally.Snapshot(Namespace, clock.GetUtcNow().UtcDateTime));

    Task OnStampCreatedAsync(StampCreated created)
    {
        pending.Add(created.EventId);
        return pending.Count >= FoldAtOnce ? FoldAsync(CancellationToken.None) : Task.CompletedTask;
    }

    async Task FoldAsync(CancellationToken cancellationToken)
    {
        if (pending.Count > 0)
        {
            var ids = pending.ToList();
            if (await TryFoldAsync(ids, cancellationToken)) pending.ExceptWith(ids);
        }
        if (clock.GetUtcNow().UtcDateTime >= nextSweep)
        {
            // Stamps no event brought (published while this grain was down, or lost with a silo).
            if (await TryFoldAsync(null, cancellationToken) && saved.Folded < SweepLimit) nextSweep = clock.GetUtcNow().UtcDateTime + SweepEvery;
        }
    }

    /// <summary>Folds and saves; on a version conflict (another activation saved first) reloads and tries once more.</summary>
    async Task<bool> TryFoldAsync(IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var result = await ledger.FoldAsync(Namespace, saved.Version, ids, SweepLimit, stamps =>
                {
                    var tally = saved.Tally.Copy();
                    foreach (var stamp in stamps) tally.Apply(stamp, now);
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
