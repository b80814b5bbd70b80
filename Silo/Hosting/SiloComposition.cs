using OmniBridge.Client.Configuration;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniBridge.Api;
using OmniBridge.Api.Hosting;
using OmniBridge.Api.Telemetry;
using OmniBridge.Api.Configuration;
using OmniBridge.Grains;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Api.Metrics;
using OmniBridge.Grains.Stamping;
using Orleans.Runtime.Hosting;
using OmniBridge.Grains.Workflows;
using OmniBridge.Silo.Codegen;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Kafka;
using OmniBridge.Silo.Memory;
using OmniBridge.Silo.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Streams;

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
            .AddOmniBridgeGrains(api)
            .AddOmniBridgeCodegen(silo.Codegen)
            .AddOmniBridgeEvents(silo)
            .AddOmniBridgeMessaging(api)
            .AddActivityPropagation()
            .AddDashboard());

        builder.Services.AddSingleton<ISiloFigures, SiloFigures>();
        builder.Services
            .AddOmniBridgeApi(api)
            .AddOmniBridgeTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>Maps the REST API, the dashboard and the Prometheus endpoint.</summary>
    public static WebApplication MapOmniBridgeSilo(this WebApplication app) => app.MapOmniBridgeApiHost();

    /// <summary>The address the API listens on, once started (useful when the port was 0).</summary>
    public static Uri ListeningAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>PostgreSQL membership when configured; otherwise one silo on localhost.</summary>
    static ISiloBuilder AddOmniBridgeClustering(this ISiloBuilder silo, SiloSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.SiloName is { } name) silo.Configure<SiloOptions>(o => o.SiloName = name);
        if (settings.Postgres is null)
        {
            return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }
        // Listen on every interface; advertise ADVERTISED_IP (or POD_IP), else this host's address.
        if (settings.AdvertisedIp is { } advertised) silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        else silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        // A joining silo first pings every member that wrote "I am alive" lately. Writing it every
        // 5 s (not every 5 min), two misses allowed, means a crashed silo stops holding up its
        // replacement after about 10 s.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            o.NumMissedTableIAmAliveLimit = 2;
        });
        return silo.UsePostgresClustering();
    }

    /// <summary>Grain state, reminders and stamps: in PostgreSQL when configured, else in memory.</summary>
    public static ISiloBuilder AddOmniBridgeStorage(this ISiloBuilder silo, SiloSettings settings) =>
        settings.Postgres is null ? silo.AddOmniBridgeMemoryStorage() : silo.AddOmniBridgePostgresStorage();

    /// <summary>Grain state, reminders, stamp records, reducer ledgers and workflow journals in memory: the embedded default.</summary>
    public static ISiloBuilder AddOmniBridgeMemoryStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Default);
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<InMemoryStampStore>();
        silo.Services.AddSingleton<IStampStore>(sp => sp.GetRequiredService<InMemoryStampStore>());
        silo.Services.AddSingleton<INamespaceLedger>(sp => sp.GetRequiredService<InMemoryStampStore>());
        silo.Services.AddSingleton<IWorkflowJournal, InMemoryWorkflowJournal>();
        return silo;
    }

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
        if (settings.Kafka is { } kafka)
        {
            silo.Services.AddSingleton<IEventPath, OutboxEventPath>();
            return silo.AddOmniBridgeKafka(kafka);
        }
        return silo.AddOmniBridgeMemoryStreams();
    }

    /// <summary>The embedded default's event streams: in memory, within the silo, and the event path onto them.</summary>
    public static ISiloBuilder AddOmniBridgeMemoryStreams(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<IEventPath, StreamEventPath>();
        return silo.AddMemoryStreams(StampStreams.Provider, streams => streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
    }

    static ISiloBuilder AddOmniBridgeMessaging(this ISiloBuilder silo, ApiSettings api)
    {
        // A stamp call carries the content in and the stamped content out: room for both, plus headroom.
        var body = (int)Math.Min(int.MaxValue, 2 * api.MaxContentBytes + 16 * ApiSettings.MiB);
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = body);
        return silo;
    }

    /// <summary>What the grains need besides storage: a clock, the versions they write, workflow timing, the intelligence port.</summary>
    public static ISiloBuilder AddOmniBridgeGrains(this ISiloBuilder silo, ApiSettings api)
    {
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.Configure<StampingOptions>(o =>
        {
            o.MetadataVersion = api.MetadataVersion;
            o.ProtocolVersion = api.ProtocolVersion;
        });
        silo.Services.AddOptions<WorkflowOptions>();
        silo.Services.AddOptions<ReducerOptions>();
        silo.Services.TryAddSingleton<IIntelligenceAnalyzer, NoIntelligence>();
        silo.Services.AddSingleton<GrainMetrics>();
        silo.Services.AddSingleton<StampRegistry>();
        silo.Services.AddSingleton<StampingSteps>();
        silo.Services.AddSingleton<StepRunner>();
        silo.AddGrainDirectory(WorkerDirectory.Name, (_, _) => new WorkerDirectory());
        silo.Services.AddOptions<EventOptions>();
        silo.Services.TryAddSingleton<EventEnvelopes>();
        silo.Services.TryAddSingleton<IEventOutbox, NoEventOutbox>();
        // Unfinished workflows keep a reminder every few seconds, so a dead silo's workflows resume promptly.
        silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        return silo;
    }
}
