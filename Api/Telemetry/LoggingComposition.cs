using OmniBridge.Client.Configuration;

namespace OmniBridge.Api.Telemetry;

/// <summary>
/// Logs as both hosts write them (docs/architecture.md, "Observability"): structured, with the request id (and, inside a
/// workflow, the workflow id) as scopes on every line; LOG_LEVEL sets the floor, LOG_FORMAT=json
/// writes one JSON object per line for log collectors.
/// </summary>
public static class LoggingComposition
{
    public static ILoggingBuilder AddOmniBridgeLogging(this ILoggingBuilder logging, IConfiguration config)
    {
        if (Setting.LogLevel(config, "LOG_LEVEL") is { } level) logging.SetMinimumLevel(level);
        var format = Setting.Checked(config, "LOG_FORMAT", "text", f => f is "text" or "json", "expected text or json");
        if (format == "json") logging.AddJsonConsole(o => o.IncludeScopes = true);
        else logging.AddSimpleConsole(o => o.IncludeScopes = true);
        return logging;
    }
}
