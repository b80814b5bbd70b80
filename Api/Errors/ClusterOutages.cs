using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Errors;

/// <summary>
/// The silo cluster is unreachable, or the silo that held the call went away: a 503 the caller
/// retries, not a 500. The API host runs as a client of the cluster, so this is its dependency.
/// </summary>
public sealed class ClusterOutages : IOutageClassifier
{
    public string? DependencyOf(Exception failure) => IsTransient(failure) || failure is TimeoutException ? "cluster" : null;

    /// <summary>A call that did not reach a silo, or whose silo died: safe to send again when the call is idempotent.</summary>
    public static bool IsTransient(Exception failure) => ClusterFailures.IsTransient(failure);
}
