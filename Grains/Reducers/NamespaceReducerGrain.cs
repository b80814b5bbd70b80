using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;

namespace OmniBridge.Grains.Reducers;

/// <summary>
/// One per namespace: folds created stamps into the namespace's aggregates (SPEC §5.2) and writes
/// them to grain storage at most once a second while they change, so a busy namespace costs one
/// write per second, not one per stamp.
/// </summary>
public sealed class NamespaceReducerGrain(
    [PersistentState("tally", StorageNames.Default)] IPersistentState<NamespaceTally> tally,
    TimeProvider clock) : Grain, INamespaceReducerGrain
{
    static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    bool dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushEvery, FlushEvery) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
    }

    public Task ApplyAsync(StampCreated created)
    {
        tally.State.Apply(created, clock.GetUtcNow().UtcDateTime);
        dirty = true;
        return Task.CompletedTask;
    }

    public Task<NamespaceAggregates> GetAggregatesAsync() =>
        Task.FromResult(tally.State.Snapshot(this.GetPrimaryKeyString(), clock.GetUtcNow().UtcDateTime));

    async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!dirty) return;
        // The timer does not interleave with ApplyAsync, so nothing changes during the write;
        // a failed write stays dirty and is retried on the next tick.
        await tally.WriteStateAsync(cancellationToken);
        dirty = false;
    }
}
