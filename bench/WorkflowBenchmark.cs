using System.Diagnostics;
using System.Globalization;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Bench;

/// <summary>
/// Workflow latency for one item, from start to completed (the server's own clock: created_at to
/// the completed transition), in memory and on PostgreSQL; against a bare /stamp of the same item
/// through the stamp worker, the work a workflow wraps.
/// </summary>
public static class WorkflowBenchmark
{
    const int Workflows = 300;

    public static async Task<List<string>> RunAsync(string label, IDictionary<string, string?> settings)
    {
        await using var silo = await InProcessSilo.StartAsync(settings);
        var worker = silo.Grains.GetGrain<IStampWorkerGrain>(0);

        var stamp = new List<double>();
        for (var i = 0; i < Workflows + 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await worker.StampAsync(new StampCommand { Namespace = "bench.flow", Text = $"bare {label} {i}" });
            if (i >= 20) stamp.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var latencies = new List<double>();
        for (var i = 0; i < Workflows + 20; i++)
        {
            var workflow = silo.Grains.GetGrain<IWorkflowGrain>(Guid.NewGuid());
            await workflow.StartAsync(new WorkflowRequest
            {
                Namespace = "bench.flow",
                Items = [new StampCommand { Namespace = "bench.flow", Text = $"workflow {label} {i}" }],
            });
            WorkflowView view;
            do
            {
                await Task.Delay(2);
                view = await workflow.GetAsync();
            }
            while (view.State is not (WorkflowPhase.Completed or WorkflowPhase.Failed));
            if (view.State is not WorkflowPhase.Completed) throw new InvalidOperationException($"workflow failed: {view.ErrorMessage}");
            if (i >= 20) latencies.Add((view.History[^1].At - view.CreatedAt).TotalMilliseconds);
        }

        return
        [
            Row($"workflow, 1 item, {label}", latencies),
            Row($"baseline: stamp worker call, 1 item, {label}", stamp),
        ];
    }

    static string Row(string what, List<double> samples)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"| {what} | {samples.Count} | {P(0.5):F2} | {P(0.99):F2} |");
    }
}
