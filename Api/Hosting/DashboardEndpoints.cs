using Orleans.Dashboard;

namespace OmniBridge.Api.Hosting;

/// <summary>
/// The Orleans dashboard's pages and JSON, made on their first request instead of at start-up
/// (docs/architecture.md, "Observability", the dashboard): the dashboard reads its whole web application out of its
/// assembly into memory as soon as its endpoints are mapped (about 13 MB of arrays and 17 MiB of the
/// assembly's pages), which a silo would otherwise carry from start to end whether anyone opens it or
/// not. Until then a single route stands for all of them, with the conventions the caller gives it
/// (scope, browser sign-in); a request that passes them runs the dashboard's own routes.
/// </summary>
public static class DashboardEndpoints
{
    public static RouteGroupBuilder MapOrleansDashboardOnFirstUse(this IEndpointRouteBuilder endpoints, string prefix)
    {
        var services = endpoints.ServiceProvider;
        var dashboard = new Lazy<RequestDelegate>(() => Dashboard(services, prefix), LazyThreadSafetyMode.ExecutionAndPublication);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("{**path}", context =>
        {
            // The dashboard's routes match afresh: routing skips a request that already has an endpoint.
            context.SetEndpoint(null);
            context.Request.RouteValues.Clear();
            return dashboard.Value(context);
        });
        return group;
    }

    /// <summary>A pipeline of the dashboard's routes alone, at <paramref name="prefix"/>; a path none of them takes is 404.</summary>
    static RequestDelegate Dashboard(IServiceProvider services, string prefix)
    {
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseRouting();
        pipeline.UseEndpoints(routes => routes.MapOrleansDashboard(prefix));
        return pipeline.Build();
    }
}
