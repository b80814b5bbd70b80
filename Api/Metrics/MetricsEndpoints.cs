using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;

namespace OmniBridge.Api.Metrics;

/// <summary>GET /metrics under the base path: the API's counters as JSON; and the Prometheus scrape endpoint at the root /metrics.</summary>
public static class MetricsEndpoints
{
    public static RouteGroupBuilder MapServiceMetrics(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ApiComposition.BasePath).WithTags(ApiComposition.StampingTag);
        group.MapGet("/metrics", (ServiceMetrics metrics) => Unified.Success(metrics.Snapshot()))
            .RequireScope(ApiScope.Admin)
            .WithOperation("get_metrics", "Operation counts, latencies, hash budget violations, store activity")
            .Produces<UnifiedResponse<MetricsView>>();
        routes.MapPrometheusScrapingEndpoint("/metrics").RequireScope(ApiScope.Admin);
        return group;
    }
}
