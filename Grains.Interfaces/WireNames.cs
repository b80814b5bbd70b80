using System.Collections.Frozen;
using System.Text.Json;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// The one spelling of every enumeration outside the process (stamp types, workflow states,
/// compliance levels, session statuses, key scopes): snake_case, lower case (<c>detached</c>,
/// <c>processing</c>). JSON bodies, events, database rows, metric labels and messages all write
/// them here and every reader reads them here, so a value one part writes is a value every other
/// part reads.
/// </summary>
public static class WireNames
{
    /// <summary>How <paramref name="value"/> is written outside the process.</summary>
    public static string Wire<T>(this T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(T).Name}");

    /// <summary>The value written as <paramref name="name"/>; false for any other text (case counts).</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        value = default;
        return name is not null && Names<T>.ByName.TryGetValue(name, out value);
    }

    /// <summary>The value written as <paramref name="name"/>.</summary>
    /// <exception cref="FormatException"><paramref name="name"/> is none of <see cref="All{T}"/>.</exception>
    public static T Parse<T>(string? name) where T : struct, Enum =>
        TryParse<T>(name, out var value) ? value
            : throw new FormatException($"'{name}' is not a {typeof(T).Name}: expected one of {string.Join(", ", All<T>())}");

    /// <summary>Every name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.InOrder;

    static class Names<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<string> InOrder = [.. Enum.GetValues<T>().Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()))];
        public static readonly FrozenDictionary<T, string> ByValue = Enum.GetValues<T>().Zip(InOrder).ToFrozenDictionary(p => p.First, p => p.Second);
        public static readonly FrozenDictionary<string, T> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
