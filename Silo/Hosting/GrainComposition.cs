using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniBridge.Api.Configuration;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Grains.Stamping;
using OmniBridge.Grains.Transparency;
using OmniBridge.Grains.Workflows;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;

namespace OmniBridge.Silo.Hosting;

/// <summary>The grains' own services and options, whatever the storage and the event path.</summary>
public static class GrainComposition
{
    /// <summary>Grain calls large enough for the largest request the API accepts.</summary>
    public static ISiloBuilder AddOmniBridgeMessaging(this ISiloBuilder silo, ApiSettings api)
    {
        // A stamp call carries the content in and the stamped content out: room for both, plus headroom.
        var body = (int)Math.Min(int.MaxValue, 2 * api.MaxContentBytes + 16 * ApiSettings.MiB);
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = body);
        return silo;
    }

    /// <summary>What the grains need besides storage: a clock, the versions they write, workflow timing, the intelligence port.</summary>
    public static ISiloBuilder AddOmniBridgeGrains(this ISiloBuilder silo, StampingSettings stamping)
    {
        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.Configure<StampingOptions>(o =>
        {
            o.MetadataVersion = stamping.MetadataVersion;
            o.ProtocolVersion = stamping.ProtocolVersion;
        });
        silo.Services.AddOptions<WorkflowOptions>();
        silo.Services.AddOptions<ReducerOptions>();
        silo.Services.TryAddSingleton<IIntelligenceAnalyzer, NoIntelligence>();
        silo.Services.AddSingleton<GrainMetrics>();
        silo.Services.AddOptions<TransparencyOptions>();
        silo.Services.TryAddSingleton<LogNudge>();
        silo.Services.TryAddSingleton<RecentCheckpoints>();
        silo.Services.AddSingleton<StampRegistry>();
        silo.Services.AddSingleton<StampingSteps>();
        silo.Services.AddSingleton<StepRunner>();
        silo.AddGrainDirectory(WorkerDirectory.Name, (_, _) => new WorkerDirectory());
        silo.Services.AddOptions<EventOptions>();
        silo.Services.TryAddSingleton<EventEnvelopes>();
        // Unfinished workflows keep a reminder every few seconds, so a dead silo's workflows resume promptly.
        silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        return silo;
    }
}
