namespace OmniBridge.Api.Health;

/// <summary>The cluster is healthy when a grain call reaches it and it reports at least one active silo.</summary>
public sealed class ClusterProbe(IGrainFactory grains) : IDependencyProbe
{
    public string Component => "cluster";

    public Task<ProbeResult> CheckAsync(CancellationToken cancellationToken) =>
        ProbeTiming.MeasureAsync(async deadline =>
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, deadline);
                return hosts.Count > 0 ? null : "no active silo";
            },
            TimeSpan.FromSeconds(2),
            // Whatever stops a management call (unreachable gateway, rejected message) means the cluster is not usable.
            isFailure: _ => true,
            cancellationToken);
}
