using OmniBridge.Grains;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Ports;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>The embedded default's adapters: everything in the silo's memory, nothing to install.</summary>
public static class MemoryComposition
{
    /// <summary>Grain state, stream subscriptions, reminders, stamp records, reducer ledgers, transparency logs and workflow journals in memory: the embedded default.</summary>
    public static ISiloBuilder AddOmniBridgeMemoryStorage(this ISiloBuilder silo)
    {
        foreach (var name in new[] { StorageNames.Default, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME })
            silo.Services.AddGrainStorage(name, (services, _) => new InMemoryGrainStorage(services.GetRequiredService<DeepCopier>()));
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<InMemoryStampStore>();
        silo.Services.AddSingleton<IStampStore>(sp => sp.GetRequiredService<InMemoryStampStore>());
        silo.Services.AddSingleton<INamespaceLedger>(sp => sp.GetRequiredService<InMemoryStampStore>());
        silo.Services.AddSingleton<ITransparencyLogStore>(sp => sp.GetRequiredService<InMemoryStampStore>());
        silo.Services.AddSingleton<IWorkflowJournal, InMemoryWorkflowJournal>();
        silo.Services.AddSingleton<IRunSignalLog, InMemoryRunSignalLog>();
        silo.Services.AddSingleton<ICodegenEventLog, InMemoryCodegenEventLog>();
        return silo;
    }

    /// <summary>The embedded default's event streams: in memory, within the silo, and the event path onto them.</summary>
    public static ISiloBuilder AddOmniBridgeMemoryStreams(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<StampCreatedFeed>();
        silo.Services.AddSingleton<IEventPath, StreamEventPath>();
        return silo.AddMemoryStreams(StampStreams.Provider, streams =>
        {
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            MemoryStreamCache.KeepBriefly(streams);
        });
    }
}
