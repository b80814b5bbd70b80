using System.Diagnostics;
using System.Globalization;

namespace OmniBridge.Bench.Perf;

/// <summary>A process the suite starts (the silo, the bare app) and watches: its resident memory, sampled while a load runs.</summary>
public sealed class BenchProcess : IAsyncDisposable
{
    readonly Process process;

    BenchProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public static async Task<BenchProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, Uri ready, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(ready);
                if ((int)response.StatusCode < 500) return new BenchProcess(process);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(300);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer {ready}");
    }

    /// <summary>CPU the process has used so far (user and system).</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Resident memory now, in MiB (VmRSS).</summary>
    public double RssMiB() => Status("VmRSS:") / 1024.0;

    long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Runs <paramref name="work"/> while sampling resident memory every 100 ms; the work's result and the peak in MiB.</summary>
    public async Task<(T Result, double PeakMiB)> WatchAsync<T>(Func<Task<T>> work)
    {
        await using var watch = WatchMemory();
        var result = await work();
        return (result, await watch.StopAsync());
    }

    /// <summary>Samples resident memory every 100 ms from now until the watch is stopped (or disposed).</summary>
    public MemoryWatch WatchMemory() => new(this);

    /// <summary>The peak of a process's resident memory over a stretch of a benchmark.</summary>
    public sealed class MemoryWatch : IAsyncDisposable
    {
        readonly BenchProcess process;
        readonly CancellationTokenSource stop = new();
        readonly Task sampler;
        double peak;

        internal MemoryWatch(BenchProcess process)
        {
            this.process = process;
            peak = process.RssMiB();
            sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // A process that has exited has no memory to read: the peak so far stands.
                    try { peak = Math.Max(peak, process.RssMiB()); } catch (IOException) { return; }
                    try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        /// <summary>The peak in MiB so far, sampling on.</summary>
        public double PeakSoFar => Volatile.Read(ref peak);

        /// <summary>Stops sampling; the peak in MiB.</summary>
        public async Task<double> StopAsync()
        {
            await stop.CancelAsync();
            await sampler;
            try { return Math.Max(peak, process.RssMiB()); } catch (IOException) { return peak; }
        }

        public async ValueTask DisposeAsync()
        {
            if (!stop.IsCancellationRequested) await StopAsync();
            stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
