using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniBridge.Api;
using OmniBridge.Grains.Reducers;
using OmniBridge.Silo.Hosting;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// The silo process as <c>dotnet run --project Silo</c> composes it, in this test process: real
/// Kestrel on a loopback port, a real silo on free ports. Settings and services can be overridden.
/// </summary>
public class SiloApp : IAsyncLifetime, IAsyncDisposable
{
    WebApplication? app;

    /// <summary>Settings by their environment names (docs/architecture.md, "Configuration"), on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Replaces services after the silo's own registrations.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => app!.Services;
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();
    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_ID"] = "tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddOmniBridgeSilo();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // OMNIBRIDGE_TEST_LOG=Debug (or any level) shows the silos' logs while debugging a test.
        if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("OMNIBRIDGE_TEST_LOG"), out var level))
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Orleans", level);
        ConfigureServices(builder.Services);

        app = builder.Build();
        app.MapOmniBridgeApi();
        await app.StartAsync();
        Address = app.ListeningAddress();
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(5) };
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>Services of test silos.</summary>
public static class TestServices
{
    /// <summary>Reducers that never sweep the store: every count they make came through their stream.</summary>
    public static IServiceCollection WithoutReducerSweep(this IServiceCollection services) =>
        services.Configure<ReducerOptions>(o => o.SweepEvery = Timeout.InfiniteTimeSpan);
}

/// <summary>A silo with the given settings.</summary>
public sealed class ConfiguredSilo(IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? configure = null) : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => settings.ToDictionary(s => s.Key, s => (string?)s.Value);

    protected override void ConfigureServices(IServiceCollection services) => configure?.Invoke(services);
}

/// <summary>One shared embedded-default service for the HTTP tests: they use distinct namespaces, so they never see each other's stamps.</summary>
[CollectionDefinition(Name)]
public sealed class SharedService : ICollectionFixture<SiloApp>
{
    public const string Name = "service";
}
