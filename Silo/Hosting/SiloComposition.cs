using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OmniBridge.Api;
using OmniBridge.Api.Configuration;
using OmniBridge.Grains;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Stamping;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Memory;
using OmniBridge.Silo.Telemetry;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace OmniBridge.Silo.Hosting;

/// <summary>The table of contents of a silo process: what it hosts and how each part is wired.</summary>
public static class SiloComposition
{
    /// <summary>Adds the silo, its storage, the REST API and the dashboard. Throws <see cref="InvalidSettingException"/> on a bad setting.</summary>
    public static WebApplicationBuilder AddOmniBridgeSilo(this WebApplicationBuilder builder)
    {
        var api = ApiSettings.From(builder.Configuration);
        var silo = SiloSettings.From(builder.Configuration);

        builder.ListenOn(api);
        if (silo.LogLevel is { } level) builder.Logging.SetMinimumLevel(level);

        builder.UseOrleans(orleans => orleans
            .AddOmniBridgeClustering(silo)
            .AddOmniBridgeStorage()
            .AddOmniBridgeGrains(api)
            .AddOmniBridgeMessaging(api)
            .AddDashboard());

        builder.Services
            .AddOmniBridgeApi(api)
            .AddOmniBridgeTelemetry();
        return builder;
    }

    /// <summary>Maps the REST API, the dashboard and the Prometheus endpoint.</summary>
    public static WebApplication MapOmniBridgeSilo(this WebApplication app)
    {
        app.MapOmniBridgeApi();
        app.MapOrleansDashboard("/dashboard");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>The address the API listens on, once started (useful when the port was 0).</summary>
    public static Uri ListeningAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    static void ListenOn(this WebApplicationBuilder builder, ApiSettings api)
    {
        // An explicit ASPNETCORE_URLS / --urls wins; otherwise every interface on SERVICE_PORT,
        // as a container needs.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://+:{api.ServicePort}");
    }

    static ISiloBuilder AddOmniBridgeClustering(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        if (settings.SiloName is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        return silo;
    }

    /// <summary>Grain state and stamp records in memory: the embedded default.</summary>
    public static ISiloBuilder AddOmniBridgeStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Default);
        silo.Services.AddSingleton<IStampStore, InMemoryStampStore>();
        return silo;
    }

    static ISiloBuilder AddOmniBridgeMessaging(this ISiloBuilder silo, ApiSettings api)
    {
        // A stamp call carries the content in and the stamped content out: room for both, plus headroom.
        var body = (int)Math.Min(int.MaxValue, 2 * api.MaxContentBytes + 16 * ApiSettings.MiB);
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = body);
        return silo;
    }

    /// <summary>What the grains need besides storage: a clock and the versions they write.</summary>
    public static ISiloBuilder AddOmniBridgeGrains(this ISiloBuilder silo, ApiSettings api)
    {
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.Configure<StampingOptions>(o =>
        {
            o.MetadataVersion = api.MetadataVersion;
            o.ProtocolVersion = api.ProtocolVersion;
        });
        return silo;
    }
}
