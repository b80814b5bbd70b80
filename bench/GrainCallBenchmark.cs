using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OmniBridge.Api.Requests;
using static OmniBridge.Bench.Rounds;

namespace OmniBridge.Bench;

/// <summary>
/// Grain calls on the service's own silo (the embedded default, composed as Program.cs composes it): a stateless
/// worker's call that does nothing but answer (the transparency log's status), from 64 callers in this process, so
/// that neither HTTP nor a store is in the figure. The silo as it ships (traces not exported) against the same silo
/// with Orleans' trace-propagation filters on every call, as every silo had them before (bench/README.md, "Trace
/// context only when traces are exported"). Rounds interleaved, the median of each; CPU a call from this process's
/// counters (the callers' share included, the same on both sides).
/// </summary>
public static class GrainCallBenchmark
{
    const int Callers = 64;
    static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    static readonly TimeSpan Measured = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<string>> RunAsync(int rounds = 3)
    {
        var shipped = new List<(double Rate, double CpuUs)>();
        var propagating = new List<(double Rate, double CpuUs)>();
        for (var round = 0; round < rounds; round++)
        {
            shipped.Add(await MeasureAsync(compose: null));
            propagating.Add(await MeasureAsync(builder => builder.UseOrleans(silo => silo.AddActivityPropagation())));
        }
        var (rate, cpu) = (Median(shipped.Select(r => r.Rate)), Median(shipped.Select(r => r.CpuUs)));
        var (baseRate, baseCpu) = (Median(propagating.Select(r => r.Rate)), Median(propagating.Select(r => r.CpuUs)));
        return
        [
            Row("calls/s", rate, baseRate, rate / baseRate),
            Row("CPU a call, us", cpu, baseCpu, cpu / baseCpu),
        ];
    }

    static string Row(string measure, double shipped, double propagating, double ratio) =>
        string.Create(CultureInfo.InvariantCulture, $"| no-op grain call, {Callers} callers in process: {measure} | {shipped:N1} | {propagating:N1} | {ratio:F2} |");

    static async Task<(double Rate, double CpuUs)> MeasureAsync(Action<WebApplicationBuilder>? compose)
    {
        await using var silo = await InProcessSilo.StartAsync(new Dictionary<string, string?>(), compose);
        var query = silo.Services.GetRequiredService<ServiceGrains>().TransparencyQuery;
        await CallForAsync(query, WarmUp);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var calls = await CallForAsync(query, Measured);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (calls / Measured.TotalSeconds, used.TotalMicroseconds / calls);
    }

    static async Task<long> CallForAsync(Grains.Interfaces.ITransparencyQueryGrain query, TimeSpan period)
    {
        long calls = 0;
        var until = Stopwatch.GetTimestamp() + (long)(period.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await query.StatusAsync();
                Interlocked.Increment(ref calls);
            }
        })));
        return calls;
    }
}
