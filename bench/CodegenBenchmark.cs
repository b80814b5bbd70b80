using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Grains;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Bench;

/// <summary>
/// Node package generation time per node type: cold (a fresh template engine compiles every
/// template it renders) against warm (compiled templates from the cache), and the whole template
/// path with standard validation against its own floor, python3 compiling the same files.
/// </summary>
public static class CodegenBenchmark
{
    const int Runs = 30;

    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var options = Options.Create(new CodegenOptions());
        NodeTemplates Fresh() => new(options, new GrainMetrics(meters));
        var validation = new PackageValidation(new PythonSyntax(options));
        var rows = new List<string>();
        foreach (var nodeType in RequirementsRules.NodeTypes)
        {
            var plan = NodePlan.For(new NodeRequirements
            {
                NodeType = nodeType,
                ServiceName = "user_crud",
                Domain = "database",
                BusinessDescription = "User CRUD operations with PostgreSQL, automatic retry and metrics",
                Operations = ["create", "read", "update", "delete", "list"],
                Features = ["connection pooling", "automatic retry", "metrics"],
            });
            // Warm the JIT once, then time.
            new PackageRenderer(Fresh()).RenderAll(plan);
            var cold = Times(() => new PackageRenderer(Fresh()).RenderAll(plan));
            var warmRenderer = new PackageRenderer(Fresh());
            var files = warmRenderer.RenderAll(plan);
            var warm = Times(() => warmRenderer.RenderAll(plan));
            var full = await TimesAsync(async () => await validation.ValidateAsync(plan, warmRenderer.RenderAll(plan), ValidationLevels.Standard));
            var floor = await TimesAsync(() => new PythonSyntax(options).CheckAsync(files));
            rows.Add(Row($"{nodeType}: render, cold (templates compiled)", cold));
            rows.Add(Row($"{nodeType}: render, warm (template cache)", warm));
            rows.Add(Row($"{nodeType}: render + standard validation, warm", full));
            rows.Add(Row($"baseline: python3 compiling the same files", floor));
        }
        return rows;
    }

    static List<double> Times(Action action)
    {
        var times = new List<double>(Runs);
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return times;
    }

    static async Task<List<double>> TimesAsync(Func<Task> action)
    {
        var times = new List<double>(Runs);
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return times;
    }

    static string Row(string what, List<double> times)
    {
        times.Sort();
        string Ms(double value) => value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);
        return $"| {what} | {times.Count} | {Ms(times[times.Count / 2])} | {Ms(times[(int)Math.Ceiling(times.Count * 0.99) - 1])} |";
    }
}
