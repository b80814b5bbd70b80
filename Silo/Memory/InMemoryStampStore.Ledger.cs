using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's reducer ledger lives beside the records it marks: folding a stamp and
/// saving the tally happen under the namespace's lock, as one step.
/// </summary>
public sealed partial class InMemoryStampStore : INamespaceLedger
{
    public Task<SavedTally> LoadAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        Task.FromResult(ShelfOf(namespaceName).Saved());

    public Task<SavedTally?> FoldAsync(string namespaceName, long version, IReadOnlyCollection<Guid>? stampIds, int limit,
        Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold, CancellationToken cancellationToken = default) =>
        Task.FromResult(ShelfOf(namespaceName).Fold(version, stampIds, limit, fold));

    sealed partial class Shelf
    {
        readonly Dictionary<Guid, StampRecord> unfolded = [];
        readonly HashSet<Guid> workflows = [];
        SavedTally saved = new(new NamespaceTally(), 0);

        public SavedTally Saved()
        {
            lock (gate) return saved with { Tally = saved.Tally.Copy() };
        }

        public SavedTally? Fold(long version, IReadOnlyCollection<Guid>? stampIds, int limit, Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold)
        {
            lock (gate)
            {
                if (version != saved.Version) return null;
                var claimed = (stampIds ?? unfolded.Keys.Take(limit).ToList())
                    .Select(id => unfolded.Remove(id, out var record) ? record : null)
                    .OfType<StampRecord>()
                    .Select(r => new ReducedStamp(r.StampId, r.FileSize, r.ContentType, r.FilePath, r.CreatedAt, r.ProcessingTimeMs, r.WorkflowId,
                        FirstOfWorkflow: r.WorkflowId is { } workflow && workflows.Add(workflow)))
                    .ToList();
                var tally = fold(claimed);
                if (claimed.Count == 0) return new SavedTally(tally, version);
                saved = new SavedTally(tally.Copy(), version + 1);
                return new SavedTally(tally, version + 1, claimed.Count);
            }
        }
    }
}
