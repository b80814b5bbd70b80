using OmniBridge.Api.Metrics;
using OmniBridge.Grains;

namespace OmniBridge.Silo.Hosting;

/// <summary>The co-hosted API's view of its silo's figures.</summary>
public sealed class SiloFigures(GrainMetrics metrics) : ISiloFigures
{
    public long StampsCreated => metrics.StampsCreatedTotal;
}
