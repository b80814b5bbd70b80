using OmniBridge.Grains.Reducers;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Where a namespace reducer keeps its tally, and which stamps are still to fold: a stamp leaves
/// the backlog in the same transaction that saves the tally counting it, so it is counted exactly
/// once whatever is redelivered, replayed or lost on the way. The ledger also remembers which
/// workflows each namespace has seen. Implemented in memory and on PostgreSQL (bridge_states,
/// reducer_backlog, bridge_workflows); both pass the same contract tests.
/// </summary>
public interface INamespaceLedger
{
    /// <summary>The namespace's saved tally and its version (0 and an empty tally when there is none).</summary>
    Task<SavedTally> LoadAsync(string namespaceName, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: takes out of the namespace's backlog those stamps that are in it (of
    /// <paramref name="stampIds"/>, or any up to <paramref name="limit"/> when null), passes them
    /// to <paramref name="fold"/> (each marked when its workflow is new to the namespace), and
    /// saves the tally it returns, only if the saved version is still <paramref name="version"/>.
    /// Null when it was not: nothing changed, reload and retry.
    /// </summary>
    Task<SavedTally?> FoldAsync(string namespaceName, long version, IReadOnlyCollection<Guid>? stampIds, int limit,
        Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold, CancellationToken cancellationToken = default);
}

/// <summary>A tally as saved, with the version a later save must name.</summary>
public sealed record class SavedTally(NamespaceTally Tally, long Version, int Folded = 0);
