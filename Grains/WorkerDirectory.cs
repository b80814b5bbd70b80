using Orleans.GrainDirectory;

namespace OmniBridge.Grains;

/// <summary>
/// The grain directory of the stateless workers: one that knows no activation and answers at once.
/// </summary>
/// <remarks>
/// Stateless workers are never registered in a directory, and a call to one runs on the silo that
/// makes it. Left on the cluster's default directory, though, a silo that has not cached the
/// worker's address first asks the directory partition that owns the worker's id, on whichever
/// silo that is, before placing the worker locally. With that silo dead and not yet declared dead
/// (about ten seconds after a kill), every such call fails. With this directory the answer is
/// "nowhere yet" without a network hop, so the worker is placed where the call is made: a stamp
/// through a silo's own API never leaves that silo.
/// </remarks>
public sealed class WorkerDirectory : IGrainDirectory
{
    /// <summary>The name the stateless workers name in their <see cref="GrainDirectoryAttribute"/>.</summary>
    public const string Name = "omnibridge-workers";

    public Task<GrainAddress?> Register(GrainAddress address) => Task.FromResult<GrainAddress?>(address);

    public Task Unregister(GrainAddress address) => Task.CompletedTask;

    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult<GrainAddress?>(null);

    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;
}
