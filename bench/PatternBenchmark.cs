using System.Diagnostics;
using System.Globalization;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Bench;

/// <summary>
/// Pattern matching over the catalogue (docs/patterns.md), one call at a time as the API and the codegen event protocol
/// make them: queries of 0 to 12 features drawn from the patterns' tags, their names written several ways and words
/// that match nothing, with and without an operation, over the four node types. Target: p99 ≤ 1 ms.
/// </summary>
public static class PatternBenchmark
{
    public static IReadOnlyList<string> Run(int queries)
    {
        string[] vocabulary =
        [
            .. PatternCatalogue.All.SelectMany(p => p.Tags), .. PatternCatalogue.All.Select(p => p.Name.Replace('_', ' ')),
            "connection pooling", "automatic retry", "audit trail", "Circuit-Breaker", "crud", "pdf export", "billing", "search",
        ];
        string[] nodeTypes = ["effect", "compute", "reducer", "orchestrator"];
        var random = new Random(18);
        PatternQuery Next() => new()
        {
            NodeType = nodeTypes[random.Next(nodeTypes.Length)],
            Operation = random.Next(2) == 0 ? null : vocabulary[random.Next(vocabulary.Length)],
            Features = Enumerable.Range(0, random.Next(0, 13)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToHashSet(),
            Limit = random.Next(1, 21),
        };
        // Warm the JIT and the tiered compiler, then time every call.
        for (var i = 0; i < 20_000; i++) PatternCatalogue.Match(Next());
        var prepared = Enumerable.Range(0, queries).Select(_ => Next()).ToArray();
        var times = new double[queries];
        var matched = 0L;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < queries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            matched += PatternCatalogue.Match(prepared[i]).Count;
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        wall.Stop();
        Array.Sort(times);
        double At(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
        return
        [
            string.Create(CultureInfo.InvariantCulture,
                $"| match over {PatternCatalogue.All.Count} patterns | {queries:N0} | {At(0.5) * 1000:0.0} | {At(0.99) * 1000:0.0} | {times[^1] * 1000:0.0} | {queries / wall.Elapsed.TotalSeconds:N0} | {(At(0.99) <= 1.0 ? "met" : "MISSED")} (p99 ≤ 1 ms) |"),
            string.Create(CultureInfo.InvariantCulture, $"({matched:N0} matches returned in all)"),
        ];
    }
}
