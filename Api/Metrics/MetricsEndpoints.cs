using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;

namespace OmniBridge.Api.Metrics;

/// <summary>GET /metrics under the base path: the API's counters as JSON (Prometheus is at the root /metrics).</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapServiceMetrics(this IEndpointRouteBuilder group)
    {
        group.MapGet("/metrics", (ServiceMetrics metrics) => Unified.Success(metrics.Snapshot()))
            .RequireScope(ApiScope.Admin)
            .WithOperation("get_metrics", "Operation counts, latencies, hash budget violations, store activity")
            .Produces<UnifiedResponse<MetricsView>>();
        return group;
    }
}
