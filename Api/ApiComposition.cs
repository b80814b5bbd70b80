using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniBridge.Api.Codegen;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Documentation;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Hashing;
using OmniBridge.Api.Health;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Security;
using OmniBridge.Api.Stamping;
using OmniBridge.Api.Workflows;

namespace OmniBridge.Api;

/// <summary>Wires the REST API into a host: the silo (co-hosted) or the standalone API client.</summary>
public static partial class ApiComposition
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured (Security:ApiKeys): the service is open to anyone who can reach it")]
    static partial void LogOpen(ILogger logger);

    public const string BasePath = "/api/v1/metadata-stamping";

    public static IServiceCollection AddOmniBridgeApi(this IServiceCollection services, ApiSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Keys);
        services.AddOmniBridgeRateLimits();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<IDependencyProbe, ClusterProbe>();
        services.AddSingleton<IOutageClassifier, ClusterOutages>();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOmniBridgeDocumentation();
        return services;
    }

    /// <summary>
    /// Adds the API's middleware (request ids, error mapping, timing) and maps its endpoints:
    /// the stamping group, health, metrics, the OpenAPI document at /openapi/v1.json and the page over it at /docs.
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

        var group = app.MapGroup(BasePath).WithTags("metadata-stamping");
        group.MapHash();
        group.MapStamps();
        group.MapValidation();
        group.MapHealth();
        group.MapServiceMetrics();
        app.MapWorkflows();
        app.MapCodegen();

        // The health endpoints also answer at the root, where orchestrators look for them.
        app.MapGroup("").MapHealth(aliases: true);
        app.MapOmniBridgeDocumentation();
        return app;
    }
}
