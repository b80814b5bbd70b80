using Microsoft.AspNetCore.Server.Kestrel.Core;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Telemetry;
using OmniBridge.Client;
using Orleans.Dashboard;

namespace OmniBridge.Api.Hosting;

/// <summary>The standalone API process: the REST API as an Orleans client of a silo cluster.</summary>
public static class ApiHosting
{
    /// <summary>Adds the client, the API and telemetry. Throws <see cref="Client.Configuration.InvalidSettingException"/> on a bad setting.</summary>
    public static WebApplicationBuilder AddOmniBridgeApiHost(this WebApplicationBuilder builder)
    {
        var api = ApiSettings.From(builder.Configuration);
        builder.ListenOn(api);
        // Quiet by default, as the silo's appsettings.json has it; LOG_LEVEL sets the floor.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddOmniBridgeLogging(builder.Configuration);
        // The dashboard reads the silos' dashboard grains: the same views as on any silo.
        builder.AddOmniBridgeClient(client => client.AddDashboard());
        builder.Services
            .AddOmniBridgeApi(api)
            .AddOmniBridgeTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Every interface on SERVICE_PORT, as a container needs, unless ASPNETCORE_URLS / --urls says
    /// otherwise.
    /// </summary>
    public static WebApplicationBuilder ListenOn(this WebApplicationBuilder builder, ApiSettings api)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://+:{api.ServicePort}");
        // Hostile or broken clients: bounded headers, no header trickling, no body trickling, and no
        // body larger than the largest JSON request unless an endpoint (streamed /hash) says so.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
            kestrel.Limits.MaxRequestBodySize = api.MaxContentBytes;
        });
        return builder;
    }
}
