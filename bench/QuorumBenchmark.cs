using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OmniBridge.Grains.Codegen.Quorum;
using OmniBridge.Silo.Codegen;

namespace OmniBridge.Bench;

/// <summary>
/// The AI quorum's verdict time over real HTTP (the service's own chat client, one instance per model) against model
/// servers on loopback: four answering in 50, 100, 250 and 500 ms, where the verdict should come in about the slowest
/// model's time (the votes are asked at once, not one after another); then the same four and one that never answers,
/// where the verdict should come at the deadline, never later.
/// </summary>
public static class QuorumBenchmark
{
    static readonly int[] Latencies = [50, 100, 250, 500];

    public static async Task<IReadOnlyList<string>> RunAsync(int votes = 20, int hangingVotes = 5, double deadlineSeconds = 2)
    {
        var servers = new List<WebApplication>();
        try
        {
            var addresses = new List<string>();
            foreach (var ms in Latencies.Append(-1))
            {
                var (app, address) = await ServeAsync(ms);
                servers.Add(app);
                addresses.Add(address);
            }
            using var services = new ServiceCollection().AddMetrics().AddHttpClient(ChatEndpoint.HttpClientName, h => h.Timeout = Timeout.InfiniteTimeSpan).Services.BuildServiceProvider();
            var clients = services.GetRequiredService<IHttpClientFactory>();
            var metrics = new QuorumMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            QuorumSeat Seat(int i, TimeSpan timeout) =>
                new($"m{i}", 1.5, new OpenAiChatModel(clients, new ChatEndpoint(new Uri(addresses[i]), "bench", null, timeout)), timeout);
            var brief = new QuorumBrief { NodeType = "effect", NodeName = "NodeBenchEffect", ContractSummary = "name: bench", Code = "class NodeBenchEffect:\n    pass\n" };

            var four = new AiQuorum(new QuorumPanel { Seats = [.. Latencies.Select((_, i) => Seat(i, TimeSpan.FromSeconds(30)))], Deadline = TimeSpan.FromSeconds(10) }, metrics);
            for (var i = 0; i < 3; i++) await four.VoteAsync(brief);   // connections and JIT
            var ratios = new List<double>();
            var verdicts = new List<double>();
            for (var i = 0; i < votes; i++)
            {
                var result = await four.VoteAsync(brief);
                if (result.Status != "passed") throw new InvalidOperationException($"expected a passed vote, got {result.Status}");
                verdicts.Add(result.DurationMs);
                ratios.Add(result.DurationMs / result.Votes.Max(v => v.DurationMs));
            }

            var hangingPanel = new QuorumPanel
            {
                Seats = [.. Latencies.Select((_, i) => Seat(i, TimeSpan.FromSeconds(60))), Seat(Latencies.Length, TimeSpan.FromSeconds(60))],
                Deadline = TimeSpan.FromSeconds(deadlineSeconds),
            };
            var five = new AiQuorum(hangingPanel, metrics);
            var atDeadline = new List<double>();
            for (var i = 0; i < hangingVotes; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = await five.VoteAsync(brief);
                var wall = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (result.Votes.Count(v => v.Participating) != Latencies.Length) throw new InvalidOperationException("the four answering models should take part");
                atDeadline.Add(wall / (deadlineSeconds * 1000));
            }
            string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
            string Ms(double x) => x.ToString("0.0", CultureInfo.InvariantCulture);
            verdicts.Sort();
            ratios.Sort();
            atDeadline.Sort();
            return
            [
                $"| four models (50, 100, 250, 500 ms): verdict ms | {votes} | {Ms(verdicts[votes / 2])} | {Ms(verdicts[^1])} | ≤ 600 (1.2 × 500) |",
                $"| four models: verdict ÷ slowest model's latency | {votes} | {F(ratios[votes / 2])} | {F(ratios[^1])} | ≤ 1.2 |",
                $"| one model hanging, deadline {deadlineSeconds:0.#} s: verdict (wall) ÷ deadline | {hangingVotes} | {F(atDeadline[hangingVotes / 2])} | {F(atDeadline[^1])} | ≈ 1.0, never later |",
            ];
        }
        finally
        {
            foreach (var app in servers) await app.DisposeAsync();
        }
    }

    /// <summary>An OpenAI-compatible model server answering a pass vote after <paramref name="delayMs"/> (-1: never).</summary>
    static async Task<(WebApplication App, string Address)> ServeAsync(int delayMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        const string answer = """{"id":"b","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{\"vote\": true, \"confidence\": 0.9, \"reasoning\": \"ok\"}"},"finish_reason":"stop"}]}""";
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            try
            {
                await Task.Delay(delayMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(delayMs), http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
            return Results.Text(answer, "application/json");
        });
        await app.StartAsync();
        return (app, app.Urls.First() + "/v1");
    }
}
