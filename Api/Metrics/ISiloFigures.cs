namespace OmniBridge.Api.Metrics;

/// <summary>
/// Figures of the silo an API host runs in (the co-hosted API). A standalone API has no silo in
/// its process and none of these; each silo's Prometheus endpoint reports its own.
/// </summary>
public interface ISiloFigures
{
    /// <summary>Stamp records the silo has created since it started, through any door.</summary>
    long StampsCreated { get; }
}
