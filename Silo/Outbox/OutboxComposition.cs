using OmniBridge.Grains.Events;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// The transactional outbox (docs/architecture.md, "Events"): every event is written to
/// <c>event_outbox</c> in the transaction of the change it reports (or on its own when it reports
/// none), and the relay publishes the rows to Kafka. Requires the PostgreSQL storage.
/// </summary>
public static class OutboxComposition
{
    public static ISiloBuilder AddOmniBridgeOutbox(this ISiloBuilder silo, KafkaSettings settings)
    {
        var services = silo.Services;
        services.AddSingleton<IEventPath, OutboxEventPath>();
        services.AddSingleton<IEventOutbox, PostgresEventOutbox>();
        services.AddSingleton<OutboxBacklog>();
        services.AddSingleton<RelayStatus>();
        services.AddSingleton<OutboxDeadLetters>();
        services.Configure<OutboxRelayOptions>(o => (o.Retention, o.PermanentFailureAttempts) = (settings.OutboxRetention, settings.PermanentFailureAttempts));
        services.AddHostedService<OutboxRelay>();
        return silo;
    }
}
