using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Transparency;

/// <summary>The transparency log's parts (docs/transparency.md): its settings, the checkpoint key, and the sweep that wakes logs with a backlog.</summary>
public static partial class TransparencyComposition
{
    public static ISiloBuilder AddOmniBridgeTransparencyLog(this ISiloBuilder silo, TransparencySettings settings)
    {
        silo.Services.Configure<TransparencyOptions>(o =>
        {
            o.Enabled = settings.Enabled;
            o.Origin = settings.Origin;
            o.IntegrateInterval = settings.IntegrateInterval;
            o.CheckpointInterval = settings.CheckpointInterval;
        });
        silo.Services.AddSingleton(sp => Signer(settings, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LogSigner>()));
        if (settings.Enabled) silo.Services.AddHostedService<TransparencyLogSweep>();
        return silo;
    }

    static LogSigner Signer(TransparencySettings settings, ILogger log)
    {
        if (settings.SigningKey is { } configured) return new LogSigner(NoteKey.Parse(configured), ephemeral: false, settings.Origin);
        if (settings.Enabled) LogEphemeralKey(log);
        return new LogSigner(NoteKey.Generate(LogSigner.DefaultName), ephemeral: true, settings.Origin);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No LOG_SIGNING_KEY is configured: this silo made a transparency log key of its own, and its checkpoints cannot be verified after a restart (make one with `log-keygen NAME`; every silo of a cluster needs the same key)")]
    static partial void LogEphemeralKey(ILogger logger);
}
