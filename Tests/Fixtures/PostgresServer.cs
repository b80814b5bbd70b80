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

    /// <summary>A server of its own, for a test that stops and restarts it.</summary>
    public static async Task<PostgresServer> StartPrivateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "omnibridge-pg-" + Guid.NewGuid().ToString("N")[..12], "data");
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

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5";

    public Task StopAsync() => ScriptAsync("stop", Owned());

    public Task ResumeAsync() => ScriptAsync("resume", Owned());

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
        try
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean; it is under the temp folder
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
