using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniBridge.Api;
using OmniBridge.Silo.Hosting;

namespace OmniBridge.Bench;

/// <summary>The silo as Program.cs composes it, in the benchmark's process, with the given settings and quiet logs.</summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    readonly WebApplication app;

    InProcessSilo(WebApplication app) => this.app = app;

    public IServiceProvider Services => app.Services;
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="compose">Changes to the composition, made after the silo's own (a variant to compare against).</param>
    public static async Task<InProcessSilo> StartAsync(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? compose = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SILO_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["ADVERTISED_IP"] = "127.0.0.1",
            ["CLUSTER_ID"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOmniBridgeSilo();
        compose?.Invoke(builder);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapOmniBridgeApi();
        await app.StartAsync();
        return new InProcessSilo(app);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
