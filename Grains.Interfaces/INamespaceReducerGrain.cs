using OmniBridge.Grains.Interfaces.Reducers;
using Orleans.Concurrency;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Aggregates one namespace's stamps (docs/architecture.md, "Reducers"). The key is the namespace name; the grain consumes
/// the namespace's stamp-created stream through an implicit subscription.
/// </summary>
public interface INamespaceReducerGrain : IGrainWithStringKey
{
    /// <summary>The namespace's aggregates as of the last fold (at most about a second behind the stamps).</summary>
    [AlwaysInterleave]
    Task<NamespaceAggregates> GetAggregatesAsync();
}
