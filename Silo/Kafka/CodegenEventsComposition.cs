using OmniBridge.Api.Health;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// The codegen event protocol on a silo with Kafka (docs/codegen-events.md): the request consumer, the DLQ monitor, the
/// event_logs writer (also fed by the outbox relay with the sessions' status events), and their /health component.
/// </summary>
public static class CodegenEventsComposition
{
    public static ISiloBuilder AddOmniBridgeCodegenEvents(this ISiloBuilder silo, CodegenEventSettings settings)
    {
        var services = silo.Services;
        services.AddSingleton(settings);
        services.AddHttpClient(nameof(CodegenDeadLetterMonitor));
        services.AddSingleton<CodegenEventJournal>();
        services.AddHostedService(sp => sp.GetRequiredService<CodegenEventJournal>());
        services.AddSingleton<CodegenDeadLetterMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<CodegenDeadLetterMonitor>());
        services.AddSingleton<CodegenRequestConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<CodegenRequestConsumer>());
        services.AddSingleton<IDependencyProbe, CodegenEventsProbe>();
        return silo;
    }
}
