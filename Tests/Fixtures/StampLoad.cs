using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// A steady stamping load through the REST API: a few callers, each posting one new content after
/// another, every answer (or failure) recorded with when it came.
/// </summary>
public sealed class StampLoad(HttpClient http, string ns, int callers = 6) : IDisposable
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly List<Outcome> outcomes = [];
    readonly CancellationTokenSource stop = new();
    Task? running;

    public sealed record class Outcome(double StartedAt, double EndedAt, HttpStatusCode? Status, string? FileHash, string? Error)
    {
        public bool Accepted => Status is HttpStatusCode.Created or HttpStatusCode.OK;
    }

    /// <summary>Seconds since the load was created, on the clock the outcomes use.</summary>
    public double Now => clock.Elapsed.TotalSeconds;

    public IReadOnlyList<Outcome> Outcomes
    {
        get { lock (outcomes) return [.. outcomes]; }
    }

    /// <summary>Waits until <paramref name="count"/> stamps started after <paramref name="since"/> (on <see cref="Now"/>'s clock) were accepted.</summary>
    public Task AcceptedAsync(int count, double since = 0, string? what = null) =>
        Eventually.TrueAsync(() => Task.FromResult(Outcomes.Count(o => o.Accepted && o.StartedAt >= since) >= count),
            what ?? $"{count} stamps are accepted", TimeSpan.FromSeconds(60));

    public void Start() => running = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() => CallAsync(caller))));

    public async Task<IReadOnlyList<Outcome>> StopAsync()
    {
        await stop.CancelAsync();
        await running!;
        return Outcomes;
    }

    public void Dispose() => stop.Dispose();

    async Task CallAsync(int caller)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = Now;
            Outcome outcome;
            try
            {
                using var response = await http.PostAsJsonAsync(ApiCalls.Base + "/stamp", new { content = $"{ns} caller {caller} stamp {i} {Guid.NewGuid()}", @namespace = ns });
                var body = await response.Content.ReadAsStringAsync();
                string? hash = null;
                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(body);
                    hash = json.RootElement.GetProperty("data").GetProperty("file_hash").GetString();
                }
                outcome = new Outcome(started, Now, response.StatusCode, hash, response.IsSuccessStatusCode ? null : body);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                outcome = new Outcome(started, Now, null, null, e.Message);
            }
            lock (outcomes) outcomes.Add(outcome);
        }
    }
}
