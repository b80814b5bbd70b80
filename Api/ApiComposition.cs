using Microsoft.AspNetCore.Http.Json;
using OmniBridge.Api.Codegen;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Documentation;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Hashing;
using OmniBridge.Api.Health;
using OmniBridge.Api.Hosting;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Security;
using OmniBridge.Api.Stamping;
using OmniBridge.Api.Transparency;
using OmniBridge.Api.Workflows;

namespace OmniBridge.Api;

/// <summary>Wires the REST API into a host: the silo (co-hosted) or the standalone API client.</summary>
public static partial class ApiComposition
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured (Security:ApiKeys): the service is open to anyone who can reach it")]
    static partial void LogOpen(ILogger logger);

    public const string BasePath = "/api/v1/metadata-stamping";

    /// <summary>The OpenAPI tag of the endpoints under <see cref="BasePath"/>.</summary>
    public const string StampingTag = "metadata-stamping";

    public static IServiceCollection AddOmniBridgeApi(this IServiceCollection services, ApiSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Keys);
        services.AddOmniBridgeRateLimits();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<ServiceGrains>();
        services.AddSingleton<IDependencyProbe, ClusterProbe>();
        services.AddSingleton<IOutageClassifier, ClusterOutages>();
        services.AddSingleton<ErrorClassifier>();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOmniBridgeDocumentation();
        return services;
    }

    /// <summary>
    /// What every HTTP host of the service serves, a silo or the standalone API: the middleware
    /// (connection hygiene, request ids, timing, the one error mapping, keys, rate limits), then
    /// each resource's route group, the documentation, the dashboard and Prometheus.
    /// </summary>
    public static WebApplication MapOmniBridgeApi(this WebApplication app)
    {
        app.UseMiddleware<ConnectionHygiene>();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseStatusCodePages(EmptyStatusResponses.WriteAsync);
        app.UseRouting();
        app.UseMiddleware<OperationTimingMiddleware>();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        if (!app.Services.GetRequiredService<ApiKeyRing>().Enabled) LogOpen(app.Logger);

        app.MapHashing();                 // POST /api/v1/metadata-stamping/hash
        app.MapStamping();                // /stamp, /stamp/{file_hash}, /batch, /namespace/{ns}
        app.MapValidation();              // /validate, /validate-protocol
        app.MapHealth();                  // /health, /health/live, /health/ready (also at the root)
        app.MapServiceMetrics();          // JSON /metrics under the base path; Prometheus at /metrics
        app.MapTransparency();            // /api/v1/transparency/{namespace}
        app.MapWorkflows();               // /api/v1/workflows
        app.MapCodegen();                 // /api/v1/codegen
        app.MapCodegenRuns();             // /api/v1/codegen/runs
        app.MapCodegenTrace();            // /api/v1/codegen/sessions/{id}/trace, /trace/metrics, /events
        app.MapOmniBridgeDocumentation(); // /openapi/v1.json and /docs
        // The dashboard reads the silos' dashboard grains: the same views from any host.
        app.MapOrleansDashboardOnFirstUse("/dashboard").RequireScope(ApiScope.Admin).OpenedByBrowsers().ExcludeFromDescription();
        return app;
    }
}
