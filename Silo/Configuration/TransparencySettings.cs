using OmniBridge.Client.Configuration;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Configuration;

/// <summary>The transparency log's settings (docs/transparency.md, "Configuration").</summary>
public sealed record class TransparencySettings
{
    /// <summary>LOG_ENABLED (true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>LOG_SIGNING_KEY: a note signer key; null makes an ephemeral key at start.</summary>
    public string? SigningKey { get; init; }

    /// <summary>LOG_ORIGIN: the key's name when absent.</summary>
    public string? Origin { get; init; }

    /// <summary>LOG_INTEGRATE_MS (500).</summary>
    public TimeSpan IntegrateInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>LOG_CHECKPOINT_MS (1000).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(1000);

    public static TransparencySettings From(IConfiguration config)
    {
        var key = Setting.Text(config, "LOG_SIGNING_KEY");
        if (key is not null)
        {
            try
            {
                NoteKey.Parse(key).Dispose();
            }
            catch (FormatException bad)
            {
                // The value is a secret: never echo it.
                throw new InvalidSettingException("LOG_SIGNING_KEY", "(hidden)", $"expected a signer key from `log-keygen` ({bad.Message})");
            }
        }
        return new TransparencySettings
        {
            Enabled = Flag(config, "LOG_ENABLED", true),
            SigningKey = key,
            Origin = OriginOf(config),
            IntegrateInterval = TimeSpan.FromMilliseconds(Setting.WholeNumber(config, "LOG_INTEGRATE_MS", 500, 10, 60_000, "milliseconds")),
            CheckpointInterval = TimeSpan.FromMilliseconds(Setting.WholeNumber(config, "LOG_CHECKPOINT_MS", 1000, 10, 3_600_000, "milliseconds")),
        };
    }

    /// <summary>An origin is one line of a checkpoint: no spaces or control characters.</summary>
    static string? OriginOf(IConfiguration config) => Setting.Text(config, "LOG_ORIGIN") switch
    {
        null => null,
        var o when o.Length <= 255 && !o.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) => o,
        var o => throw new InvalidSettingException("LOG_ORIGIN", o, "expected text without spaces, at most 255 characters (e.g. a host name)"),
    };

    static bool Flag(IConfiguration config, string name, bool fallback) => Setting.Text(config, name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var other => throw new InvalidSettingException(name, other, "expected true or false"),
    };
}
