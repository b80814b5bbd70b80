using System.Diagnostics;
using System.Text.Json;

namespace OmniBridge.Bench.Perf;

/// <summary>One wrk run's summary, as bench/wrk/*.lua print it.</summary>
public sealed record class LoadResult(long Requests, double Seconds, double Rps, double P50Ms, double P95Ms, double P99Ms, double MaxMs, long SocketErrors, long Non2xx)
{
    public long Errors => SocketErrors + Non2xx;
}

/// <summary>wrk (Debian package) driving a URL with one of the scripts in bench/wrk.</summary>
public static class Wrk
{
    public static async Task<LoadResult> RunAsync(string url, int connections, TimeSpan duration, string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--timeout", "10s", "-s", script, url }) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"wrk printed no summary: {output} {errors}");
        using var summary = JsonDocument.Parse(json);
        var r = summary.RootElement;
        return new LoadResult(r.GetProperty("requests").GetInt64(), r.GetProperty("seconds").GetDouble(), r.GetProperty("rps").GetDouble(),
            r.GetProperty("p50_ms").GetDouble(), r.GetProperty("p95_ms").GetDouble(), r.GetProperty("p99_ms").GetDouble(), r.GetProperty("max_ms").GetDouble(),
            r.GetProperty("socket_errors").GetInt64(), r.GetProperty("non2xx").GetInt64());
    }
}
