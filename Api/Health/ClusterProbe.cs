using System.Diagnostics;
using Orleans.Runtime;

namespace OmniBridge.Api.Health;

/// <summary>The cluster is healthy when a grain call reaches it and it reports at least one active silo.</summary>
public sealed class ClusterProbe(IGrainFactory grains) : IDependencyProbe
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public string Component => "cluster";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).WaitAsync(Timeout, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return hosts.Count > 0
                ? new ProbeResult(ProbeResult.Healthy, elapsed, $"{hosts.Count} active silo(s)")
                : new ProbeResult(ProbeResult.Unhealthy, elapsed, "no active silo");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeResult.Unhealthy, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                e is TimeoutException ? "no answer within 2 s" : "unreachable");
        }
    }
}
