using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OmniBridge.Api;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Hosting;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Telemetry;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Codegen;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Kafka;
using OmniBridge.Silo.Memory;
using OmniBridge.Silo.Outbox;
using OmniBridge.Silo.Postgres;
using OmniBridge.Silo.Transparency;
using OmniBridge.Silo.Workflows;

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
        builder.Logging.AddOmniBridgeLogging(builder.Configuration);
        if (silo.Postgres is { } postgres) builder.Services.AddOmniBridgeDatabase(postgres);

        builder.UseOrleans(orleans => orleans
            .AddOmniBridgeClustering(silo)
            .AddOmniBridgeStorage(silo)
            .AddOmniBridgeGrains(silo.Stamping)
            .AddOmniBridgeWorkflowIntelligence(silo.WorkflowIntelligence)
            .AddOmniBridgeTransparencyLog(silo.Transparency)
            .AddOmniBridgeCodegen(silo.Codegen)
            .AddOmniBridgeRunSignals(silo)
            .AddOmniBridgeEvents(silo)
            .AddOmniBridgeMessaging(api)
            .AddTracePropagation(TelemetryComposition.ExportsTraces(builder.Configuration))
            .AddDashboardOnSharedMeters());

        builder.Services.AddSingleton<ISiloFigures, SiloFigures>();
        builder.Services
            .AddOmniBridgeApi(api)
            .AddOmniBridgeTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>The address the API listens on, once started (useful when the port was 0).</summary>
    public static Uri ListeningAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>
    /// Trace context carried across grain calls (Orleans' <c>AddActivityPropagation</c>), when spans are exported: a
    /// grain call's span then continues the request's trace. Without an exporter nothing would take those spans, and
    /// the filters would still cost every call (<see cref="TelemetryComposition.ExportsTraces"/>).
    /// </summary>
    public static ISiloBuilder AddTracePropagation(this ISiloBuilder silo, bool exportsTraces) =>
        exportsTraces ? silo.AddActivityPropagation() : silo;

    /// <summary>Grain state, reminders and stamps: in PostgreSQL when configured, else in memory.</summary>
    public static ISiloBuilder AddOmniBridgeStorage(this ISiloBuilder silo, SiloSettings settings) =>
        settings.Postgres is null ? silo.AddOmniBridgeMemoryStorage() : silo.AddOmniBridgePostgresStorage();

    /// <summary>
    /// How events are made and where they go: with Kafka, into the outbox and on to the topics, and
    /// the reducers read them back from there; otherwise onto in-memory streams only. Either way
    /// one stream provider name, and only implicit subscriptions (no subscription store needed).
    /// </summary>
    public static ISiloBuilder AddOmniBridgeEvents(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.Services.Configure<EventOptions>(o =>
        {
            o.Environment = settings.Environment;
            o.SourceInstance = settings.SiloName ?? Environment.MachineName;
            o.SigningKey = settings.EventSigningKey;
        });
        return settings.Kafka is { } kafka
            ? silo.AddOmniBridgeOutbox(kafka).AddOmniBridgeKafka(kafka).AddOmniBridgeCodegenEvents(settings.CodegenEvents)
            : silo.AddOmniBridgeMemoryStreams();
    }

}
