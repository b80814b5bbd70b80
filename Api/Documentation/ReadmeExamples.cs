using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OmniBridge.Api.Documentation;

/// <summary>
/// The README's curl examples, as request examples of the API documentation: the README is built
/// into the assembly and read once, so the page at /docs shows exactly the requests the README
/// shows (and its test runs every one of them against a live service).
/// </summary>
public static partial class ReadmeExamples
{
    [GeneratedRegex(@"^curl .*?-X POST http://localhost:8053(?<path>/[^\s?']+).*?-d '(?<body>\{.*\})'\s*$", RegexOptions.Multiline)]
    private static partial Regex JsonPost();

    static readonly Lazy<FrozenDictionary<string, string[]>> ByPath = new(Read);

    /// <summary>The JSON bodies the README posts to <paramref name="path"/> (e.g. /api/v1/workflows), in README order.</summary>
    public static IReadOnlyList<JsonNode> For(string path) =>
        ByPath.Value.TryGetValue(path, out var bodies) ? [.. bodies.Select(b => JsonNode.Parse(b)!)] : [];

    static FrozenDictionary<string, string[]> Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("README.md");
        if (stream is null) return FrozenDictionary<string, string[]>.Empty;
        using var reader = new StreamReader(stream);
        return JsonPost().Matches(reader.ReadToEnd())
            .GroupBy(m => m.Groups["path"].Value, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(m => m.Groups["body"].Value).ToArray(), StringComparer.Ordinal);
    }
}
