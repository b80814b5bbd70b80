using Orleans.Concurrency;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// The transparency log of one namespace (the grain's key), and its single writer: it appends the
/// namespace's records that have no leaf yet, in creation order, and signs checkpoints
/// (docs/transparency.md). Any silo may host it; its state lives in the log store.
/// </summary>
public interface ITransparencyLogGrain : IGrainWithStringKey
{
    /// <summary>Says that records were created; integration follows within LOG_INTEGRATE_MS. Never waits for it.</summary>
    [OneWay, AlwaysInterleave]
    Task IntegrateSoonAsync();

    /// <summary>Integrates every record waiting now and signs a checkpoint of the result; returns the tree size.</summary>
    Task<long> IntegrateNowAsync();

    /// <summary>The latest signed checkpoint; signs one (of size 0 for an empty log) when there is none yet.</summary>
    Task<string> CheckpointAsync();
}
