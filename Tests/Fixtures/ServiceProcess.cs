using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// The silo (or the standalone API) as its own process, started from the build output exactly as
/// <c>dotnet run --project Silo</c> (or <c>Api</c>) would run it, configured through environment
/// variables. Used where a test needs what only a separate process shows: its exit code, its own
/// memory, its start-up output, a kill.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly StringBuilder errors = new();

    ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public int Port { get; }
    public HttpClient Http { get; }
    public int Id => process.Id;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>
    /// What the process wrote to stderr alone: where it says why it refused to start. Apart from
    /// <see cref="Output"/> because the two pipes are read by two threads, so the order of their
    /// lines in the merged text is not the order in which they were written.
    /// </summary>
    public string[] ErrorLines
    {
        get { lock (output) return errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); }
    }

    public const string Silo = "OmniBridge.Silo.dll";
    public const string Api = "OmniBridge.Api.dll";

    /// <summary>The sample grain client, run from its own build output (it carries its own dependencies).</summary>
    public static string SampleClient => Path.Combine(
        AppContext.BaseDirectory.Replace(Path.Combine("Tests", "bin"), Path.Combine("samples", "StampClient", "bin"), StringComparison.Ordinal),
        "OmniBridge.StampClient.dll");

    /// <summary>Starts the silo (or <paramref name="program"/>) with <paramref name="environment"/> on top of free ports, without waiting for it.</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, int? port = null, string[]? arguments = null, string program = Silo, string? workingDirectory = null)
    {
        var servicePort = port ?? FreePort.Next();
        var path = Path.Combine(AppContext.BaseDirectory, program);
        var start = new ProcessStartInfo("dotnet", [path, .. arguments ?? []])
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["SERVICE_PORT"] = servicePort.ToString(CultureInfo.InvariantCulture);
        start.Environment["SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = null;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, servicePort);
        process.OutputDataReceived += (_, e) => service.Append(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Starts the silo (or <paramref name="program"/>) and waits until /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartReadyAsync(IReadOnlyDictionary<string, string>? environment = null, int? port = null, string program = Silo)
    {
        var service = Start(environment ?? new Dictionary<string, string>(), port, program: program);
        try
        {
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until /health/ready answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < within)
        {
            if (process.HasExited) throw new InvalidOperationException($"the service exited with {process.ExitCode}: {Output}");
            try
            {
                using var ready = await Http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the service was not ready within {within.TotalSeconds:0} s: {Output}");
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        process.WaitForExit();   // drains the output readers
        return process.ExitCode;
    }

    /// <summary>SIGTERM: what Kubernetes sends before it stops a pod. The process shuts down by itself.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {process.Id} failed");
    }

    /// <summary>SIGKILL: the process is gone at once, with nothing said to anyone.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    public bool HasExited => process.HasExited;

    /// <summary>Resident memory now and at its peak, in bytes (Linux /proc).</summary>
    public (long Current, long Peak) ResidentMemory()
    {
        long Read(string key) => File.ReadLines($"/proc/{process.Id}/status")
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => long.Parse(l[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
            .Single();
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    void Append(string? line, bool error)
    {
        if (line is null) return;
        lock (output)
        {
            output.AppendLine(line);
            if (error) errors.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
