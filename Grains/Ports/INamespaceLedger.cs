using OmniBridge.Grains.Reducers;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Where a namespace reducer keeps its tally, and which stamps it has folded in: each stamp is
/// marked as folded in the same transaction that saves the tally, so a stamp is counted exactly
/// once whatever is redelivered, replayed or lost on the way. Implemented in memory and on
/// PostgreSQL (bridge_states, and a mark on metadata_stamps); both pass the same contract tests.
/// </summary>
public interface INamespaceLedger
{
    /// <summary>The namespace's saved tally and its version (0 and an empty tally when there is none).</summary>
    Task<SavedTally> LoadAsync(string namespaceName, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: marks as folded those stamps of the namespace that are not yet (of
    /// <paramref name="stampIds"/>, or any up to <paramref name="limit"/> when null), passes them
    /// to <paramref name="fold"/>, and saves the tally it returns, only if the saved version is
    /// still <paramref name="version"/>. Null when it was not: nothing changed, reload and retry.
    /// </summary>
    Task<SavedTally?> FoldAsync(string namespaceName, long version, IReadOnlyCollection<Guid>? stampIds, int limit,
        Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold, CancellationToken cancellationToken = default);
}

/// <summary>A tally as saved, with the version a later save must name.</summary>
public sealed record class SavedTally(NamespaceTally Tally, long Version, int Folded = 0);
