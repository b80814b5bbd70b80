using System.Diagnostics;
using System.Globalization;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL server on a loopback port, run by scripts/postgres.sh from the Debian package.
/// <see cref="Shared"/> is the one the test command started (OMNIBRIDGE_TEST_PG_PORT), or one this
/// process starts for itself; <see cref="StartPrivateAsync"/> gives a test its own server to stop and restart.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);
    readonly string? dataDirectory;

    PostgresServer(int port, string? dataDirectory)
    {
        Port = port;
        this.dataDirectory = dataDirectory;
    }

    public int Port { get; }

    public static Task<PostgresServer> Shared => SharedServer.Value;

    /// <summary>
    /// Where servers live: the test command's own folder (it stops whatever is left there), or,
    /// when the tests run without it, one under the temp folder that each run tidies on start.
    /// </summary>
    static readonly string Root = Environment.GetEnvironmentVariable("OMNIBRIDGE_TEST_PG_ROOT") is { Length: > 0 } given ? given : AdHocRoot();

    /// <summary>A server of its own, for a test that stops and restarts it.</summary>
    public static async Task<PostgresServer> StartPrivateAsync()
    {
        var directory = Path.Combine(Root, "pg-" + Guid.NewGuid().ToString("N")[..12], "data");
        var port = int.Parse((await ScriptAsync("start", directory)).Trim(), CultureInfo.InvariantCulture);
        return new PostgresServer(port, directory);
    }

    static async Task<PostgresServer> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable("OMNIBRIDGE_TEST_PG_PORT") is { Length: > 0 } given)
            return new PostgresServer(int.Parse(given, CultureInfo.InvariantCulture), dataDirectory: null);
        var server = await StartPrivateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait();
        return server;
    }

    static string AdHocRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "omnibridge-pg-adhoc");
        Directory.CreateDirectory(root);
        // Data directories left by an earlier run that was killed: a server still running there has a postmaster.pid.
        foreach (var left in Directory.GetDirectories(root).Where(d => !File.Exists(Path.Combine(d, "data", "postmaster.pid"))))
        {
            TryDelete(left);
        }
        return root;
    }

    static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // another run's, or still in use: left for the next tidy-up
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5";

    public Task StopAsync() => ScriptAsync("stop", Owned());

    public Task ResumeAsync() => ScriptAsync("resume", Owned());

    /// <summary>The server stops answering but keeps every connection open, as a hung host does.</summary>
    public Task FreezeAsync() => ScriptAsync("freeze", Owned());

    public Task ThawAsync() => ScriptAsync("thaw", Owned());

    string Owned() => dataDirectory ?? throw new InvalidOperationException("the shared server belongs to the test command; start a private one to stop it");

    static async Task<string> ScriptAsync(string verb, string directory)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Root, "scripts", "postgres.sh"), verb, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres.sh {verb} failed ({process.ExitCode}): {errors}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        if (dataDirectory is null) return;
        await StopAsync();
        TryDelete(Path.GetDirectoryName(dataDirectory)!);
    }
}
