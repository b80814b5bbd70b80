using Orleans.Runtime.Messaging;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Failures that say a silo is away (dead, leaving, not yet declared dead, or unreachable), not
/// that the call was wrong: an idempotent call that failed this way may be sent again, and once
/// the cluster has noticed, another silo takes it.
/// </summary>
public static class ClusterFailures
{
    public static bool IsTransient(Exception failure) =>
        failure is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException
            or Orleans.Networking.Shared.SocketConnectionException;
}
