using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OmniBridge.Api.Configuration;

/// <summary>
/// Reads one setting by its environment name (SPEC §1): absent means the default; present but
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

    /// <summary>A value that must satisfy <paramref name="accept"/>; <paramref name="expectation"/> says what is accepted.</summary>
    public static string Checked(IConfiguration config, string name, string fallback, Func<string, bool> accept, string expectation)
    {
        var value = Text(config, name, fallback);
        if (!accept(value)) throw new InvalidSettingException(name, value, expectation);
        return value;
    }
}
