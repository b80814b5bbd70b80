namespace OmniBridge.Api.Health;

/// <summary>Checks one component the service depends on. Hosts register one per configured component.</summary>
public interface IDependencyProbe
{
    /// <summary>cluster, postgres or kafka.</summary>
    string Component { get; }

    Task<ProbeResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>A component's state: healthy, degraded, unhealthy or not_configured.</summary>
public sealed record class ProbeResult(string Status, double ResponseTimeMs, string? Detail = null)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
    public const string NotConfigured = "not_configured";
}
