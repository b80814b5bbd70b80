using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OmniBridge.Client.Configuration;

/// <summary>
/// Reads one setting by its environment name (docs/architecture.md, "Configuration"): absent means the default; present but
/// invalid throws <see cref="InvalidSettingException"/> naming it.
/// </summary>
public static class Setting
{
    public static string? Text(IConfiguration config, string name) =>
        config[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static string Text(IConfiguration config, string name, string fallback) => Text(config, name) ?? fallback;

    public static long WholeNumber(IConfiguration config, string name, long fallback, long min, long max, string? unit = null)
    {
        if (Text(config, name) is not { } raw) return fallback;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InvalidSettingException(name, raw, $"expected a whole number from {min} to {max}{(unit is null ? "" : " " + unit)}");
        return value;
    }

    public static int Port(IConfiguration config, string name, int fallback) =>
        (int)WholeNumber(config, name, fallback, 1, 65535);

    /// <summary>An absolute http(s) address, or null when the setting is absent.</summary>
    public static Uri? HttpAddress(IConfiguration config, string name, string expectation)
    {
        if (Text(config, name) is not { } raw) return null;
        return IsHttpAddress(raw, out var address) ? address : throw new InvalidSettingException(name, raw, expectation);
    }

    /// <summary>Whether <paramref name="raw"/> (trimmed) is an absolute http or https address.</summary>
    public static bool IsHttpAddress(string raw, [NotNullWhen(true)] out Uri? address) =>
        Uri.TryCreate(raw.Trim(), UriKind.Absolute, out address) && address.Scheme is "http" or "https";

    /// <summary>A value that must satisfy <paramref name="accept"/>; <paramref name="expectation"/> says what is accepted.</summary>
    public static string Checked(IConfiguration config, string name, string fallback, Func<string, bool> accept, string expectation)
    {
        var value = Text(config, name, fallback);
        if (!accept(value)) throw new InvalidSettingException(name, value, expectation);
        return value;
    }

    /// <summary>A minimum log level by Python's names (DEBUG, INFO, WARNING, ERROR, CRITICAL) or .NET's.</summary>
    public static LogLevel? LogLevel(IConfiguration config, string name)
    {
        if (Setting.Text(config, name) is not { } raw) return null;
        return raw.ToUpperInvariant() switch
        {
            "TRACE" => Microsoft.Extensions.Logging.LogLevel.Trace,
            "DEBUG" => Microsoft.Extensions.Logging.LogLevel.Debug,
            "INFO" or "INFORMATION" => Microsoft.Extensions.Logging.LogLevel.Information,
            "WARN" or "WARNING" => Microsoft.Extensions.Logging.LogLevel.Warning,
            "ERROR" => Microsoft.Extensions.Logging.LogLevel.Error,
            "CRITICAL" or "FATAL" => Microsoft.Extensions.Logging.LogLevel.Critical,
            "NONE" => Microsoft.Extensions.Logging.LogLevel.None,
            _ => throw new InvalidSettingException(name, raw, "expected TRACE, DEBUG, INFO, WARNING, ERROR or CRITICAL"),
        };
    }
}
