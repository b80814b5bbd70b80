namespace OmniBridge.Api.Health;

/// <summary>Checks one component the service depends on. Hosts register one per configured component.</summary>
public interface IDependencyProbe
{
    /// <summary>cluster, postgres or kafka.</summary>
    string Component { get; }

    Task<ProbeResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A component's state: healthy, degraded, unhealthy or not_configured. <paramref name="DeadLetters"/>
/// (Kafka only): events sent to a dead-letter topic instead of their own, as long as the outbox keeps their rows.
/// <paramref name="Figures"/>: what the component measures besides (codegen_events: the DLQ monitor's counts and rates).
/// </summary>
public sealed record class ProbeResult(string Status, double ResponseTimeMs, string? Detail = null, long? DeadLetters = null, object? Figures = null)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
    public const string NotConfigured = "not_configured";
}
