using Orleans.Concurrency;
using OmniBridge.Grains.Interfaces.Reducers;

namespace OmniBridge.Grains.Interfaces;

/// <summary>Aggregates one namespace's stamps (SPEC §5.2). The key is the namespace name.</summary>
public interface INamespaceReducerGrain : IGrainWithStringKey
{
    /// <summary>Folds a newly created stamp into the aggregates. Fire and forget: stamping never waits for it.</summary>
    [OneWay]
    Task ApplyAsync(StampCreated created);

    /// <summary>The namespace's aggregates as of the last event applied.</summary>
    Task<NamespaceAggregates> GetAggregatesAsync();
}
