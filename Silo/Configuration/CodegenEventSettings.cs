using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>
/// The codegen event protocol's dead-letter monitor (docs/codegen-events.md, "DLQ monitor"): an alert when more than
/// CODEGEN_DLQ_ALERT_THRESHOLD dead letters reach one codegen DLQ topic within CODEGEN_DLQ_WINDOW_SECONDS, then none for that
/// topic for CODEGEN_DLQ_ALERT_COOLDOWN_SECONDS; optionally POSTed to CODEGEN_DLQ_WEBHOOK_URL. Checked whether or not Kafka is
/// configured, so a bad value stops start-up on any silo.
/// </summary>
public sealed record class CodegenEventSettings
{
    public int AlertThreshold { get; init; } = 10;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan AlertCooldown { get; init; } = TimeSpan.FromMinutes(15);
    public Uri? WebhookUrl { get; init; }

    public static CodegenEventSettings From(IConfiguration config)
    {
        var defaults = new CodegenEventSettings();
        return new CodegenEventSettings
        {
            AlertThreshold = (int)Setting.WholeNumber(config, "CODEGEN_DLQ_ALERT_THRESHOLD", defaults.AlertThreshold, 1, 1_000_000, "dead letters"),
            Window = TimeSpan.FromSeconds(Setting.WholeNumber(config, "CODEGEN_DLQ_WINDOW_SECONDS", (long)defaults.Window.TotalSeconds, 1, 7 * 24 * 3600, "seconds")),
            AlertCooldown = TimeSpan.FromSeconds(Setting.WholeNumber(config, "CODEGEN_DLQ_ALERT_COOLDOWN_SECONDS", (long)defaults.AlertCooldown.TotalSeconds, 0, 7 * 24 * 3600, "seconds")),
            WebhookUrl = Setting.HttpAddress(config, "CODEGEN_DLQ_WEBHOOK_URL", "expected an http(s) address"),
        };
    }
}
