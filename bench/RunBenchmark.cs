using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Codegen.Runs;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using Orleans.Streams;
using static OmniBridge.Bench.Rounds;

namespace OmniBridge.Bench;

/// <summary>
/// The targets of coordinated runs (docs/runs.md), in one in-memory silo: six independent contracts as one run against
/// the same six generated one after another by the code path of /generate (rounds interleaved, medians compared); the
/// propagation of run signals to a stream subscriber in the same silo; routing decisions; context packages.
/// </summary>
public static class RunBenchmark
{
    /// <summary>
    /// 30 counted rounds, 2,340 signals: signals come in bursts of up to 13 delayed together, so over the 780 of ten
    /// rounds the p99 was the worst burst or two, and ran from 7 to 26 ms for the same build (bench/README.md).
    /// </summary>
    const int Rounds = 30;

    /// <summary>Warm-up ends at the first round that compiles fewer methods than this (the silo's code at its final tier, as in one that has been running).</summary>
    const int SettledJit = 50;
    const int MaxWarmUp = 40;

    static NodeRequirements Node(int i) => new()
    {
        NodeType = RequirementsRules.NodeTypes[i % 4],
        ServiceName = $"bench_node_{i}",
        Domain = "bench",
        BusinessDescription = "User CRUD operations with PostgreSQL, automatic retry and metrics",
        Operations = ["create", "read", "update", "delete", "list"],
        Features = ["connection pooling", "automatic retry", "metrics"],
    };

    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var silo = await InProcessSilo.StartAsync(new Dictionary<string, string?>());
        var grains = silo.Grains;
        var rows = new List<string>();
        var sequential = new List<double>();
        var runs = new List<double>();
        var reported = new List<double>();
        var propagation = new List<double>();
        var grainLags = new List<double>();
        var streams = silo.Services.GetRequiredService<IClusterClient>().GetStreamProvider(RunSignals.Provider);

        var (warmUp, settled, jitted) = (0, false, JitInfo.GetCompiledMethodCount());
        while (sequential.Count < Rounds)
        {
            // Rounds warm the JIT, the templates and the grain types up, uncounted, until a round compiles almost nothing:
            // a silo that has been running has its code at the final tier, and the compiler would otherwise take a core.
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < 6; i++)
                await grains.GetGrain<ICodegenSessionGrain>(Guid.NewGuid()).GenerateAsync(new GenerationRequest { Requirements = Node(i), Strategy = CodegenStrategies.Template });
            var oneByOne = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            var runId = Guid.NewGuid();
            var lag = new List<double>();
            var packaged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var subscription = await streams.GetStream<RunSignal>(StreamId.Create(RunSignals.Namespace, runId)).SubscribeAsync((signal, _) =>
            {
                lock (lag) lag.Add((DateTime.UtcNow - signal.At).TotalMilliseconds);
                if (signal.SignalType == RunSignals.StageCompleted && signal.Data.Contains($"\"{PackageLayout.PackageNode}\"", StringComparison.Ordinal)) packaged.TrySetResult();
                return Task.CompletedTask;
            });
            var listener = grains.GetGrain<ISignalListenerGrain>(runId);
            await listener.ListenAsync();
            var run = grains.GetGrain<ICodegenRunGrain>(runId);
            started = Stopwatch.GetTimestamp();
            await run.SubmitAsync(new RunRequest
            {
                Strategy = CodegenStrategies.Template,
                Contracts = [.. Enumerable.Range(0, 6).Select(i => new RunContract { Name = $"contract_{i}", Requirements = Node(i) })],
            });
            // Waiting as a user does, on the run's signals (a poll every few milliseconds would compete with the run for
            // the two cores): the last stage's end, then the run's status, which follows it within a turn.
            await Task.WhenAny(packaged.Task, Task.Delay(TimeSpan.FromMinutes(2)));
            RunView view;
            while ((view = await run.GetAsync()).Status is RunStatus.Pending or RunStatus.Processing) await Task.Delay(1);
            var together = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await subscription.UnsubscribeAsync();
            if (view.Status != RunStatus.Completed) throw new InvalidOperationException($"the benchmark run ended {view.Status}");
            if (!settled)
            {
                var compiled = JitInfo.GetCompiledMethodCount() - jitted;
                jitted += compiled;
                settled = ++warmUp >= MaxWarmUp || compiled < SettledJit;
                continue;
            }
            (double[] Lags, bool Packaged) heard;
            while (!(heard = await listener.LagsAsync()).Packaged) await Task.Delay(5);
            grainLags.AddRange(heard.Lags);
            sequential.Add(oneByOne);
            runs.Add(together);
            reported.Add(view.Speedup);
            lock (lag) propagation.AddRange(lag);
        }
        var (seq, run1) = (Median(sequential), Median(runs));
        rows.Add($"| six contracts one after another (/generate's path) | {Rounds} | {Ms(seq)} | after {warmUp} warm-up rounds |");
        rows.Add($"| six contracts as one run (from outside) | {Rounds} | {Ms(run1)} | ratio {run1 / seq:0.00}x (target ≤ 0.6x) |");
        rows.Add($"| speed-up the run reports (sum of steps / wall) | {Rounds} | {Median(reported):0.00}x | measured from outside {seq / run1:0.00}x |");
        rows.Add(Row("signal propagation to a subscriber in the silo (ms)", propagation));
        rows.Add(Row("signal propagation to a grain in the silo (ms)", grainLags));

        var router = new RunRouter([new RoutingRule { ConditionKey = "quality_score", Operator = "<", Value = "0.5", Decision = RouteDecisions.Error, Priority = 80 }]);
        var state = new RouteState { Contract = "orders", Stage = PackageLayout.GenerateModel, NextStage = PackageLayout.GenerateValidator, Succeeded = true, FilesExpected = 3, FilesMade = 3, QualityScore = 0.9 };
        for (var i = 0; i < 1000; i++) router.Decide(state);
        rows.Add(Row("routing decision (ms)", Times(20_000, () => router.Decide(state with { Priority = 10 + (state.Attempts % 90) }))));

        var graph = RunGraph.Of(new RunRequest { Contracts = [.. Enumerable.Range(0, 12).Select(i => new RunContract { Name = $"c_{i}", Requirements = Node(i), DependsOn = i == 0 ? [] : [$"c_{i - 1}"] })] });
        ContextPackage Package() => ContextPackages.Build(new ContextPackage
        {
            Metadata = new ContextMetadata { AgentId = "c_11/generate_model", Contract = "c_11", Stage = PackageLayout.GenerateModel, CreatedAt = DateTime.UtcNow },
            Assignment = new ContextAssignment { Objective = "generate_model for c_11", Tasks = PackageLayout.FilesOf[PackageLayout.GenerateModel], DependsOn = ["c_10"] },
            NamingConventions = ContextPackages.NamingOf("c_11", graph["c_11"].Requirements),
            TypeRegistry = [.. graph.Upstream("c_11").Select(u => ContextPackages.TypesOf(u, graph[u].Requirements, u == "c_10"))],
            Patterns = ContextPackages.PatternsOf(graph["c_11"].Requirements),
            Limits = new ResourceLimits { StepTimeoutMs = 60_000, MaxAttempts = 3, MaxParallel = 8 },
        }, 8000);
        for (var i = 0; i < 200; i++) Package();
        rows.Add(Row("context package per agent, 11 dependencies, 8000 tokens (ms)", Times(2000, () => Package())));
        return rows;
    }

    static List<double> Times(int count, Action action)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return times;
    }

    static string Ms(double value) => value.ToString(value < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms";

    static string Row(string what, List<double> times)
    {
        times.Sort();
        return $"| {what} | {times.Count} | p50 {Ms(times[times.Count / 2])} | p99 {Ms(times[(int)Math.Ceiling(times.Count * 0.99) - 1])} |";
    }
}
