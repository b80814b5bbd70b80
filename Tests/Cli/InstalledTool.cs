using System.Diagnostics;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The tool as a user installs it from the repository (docs/cli.md, "Installing it"): packed by
/// scripts/pack-cli.sh and installed with <c>dotnet tool install --tool-path</c> into a folder of
/// its own, from a package cache of its own (so an older package of the same version is never the
/// one installed).
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "omnibridge-tool-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The <c>omnibridge</c> command the install put on the tool path.</summary>
    public string Command => Path.Combine(folder, "tools", "omnibridge");

    /// <summary>The framework-dependent package installed by its own name, as docs/cli.md tells users of older CPUs.</summary>
    public string FrameworkDependentCommand => Path.Combine(folder, "tools-any", "omnibridge");

    public async Task InitializeAsync()
    {
        await RunAsync(Path.Combine(Repository.Root, "scripts", "pack-cli.sh"), [Path.Combine(folder, "nupkg")], Repository.Root);
        await RunAsync("dotnet", ["tool", "install", "omnibridge", "--tool-path", Path.Combine(folder, "tools"), "--add-source", Path.Combine(folder, "nupkg")], folder,
            packages: Path.Combine(folder, "packages"));
        await RunAsync("dotnet", ["tool", "install", "omnibridge.any", "--tool-path", Path.Combine(folder, "tools-any"), "--add-source", Path.Combine(folder, "nupkg")], folder,
            packages: Path.Combine(folder, "packages"));
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    static async Task RunAsync(string program, string[] arguments, string workingDirectory, string? packages = null)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (packages is not null) start.Environment["NUGET_PACKAGES"] = packages;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in 10 minutes");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }
}
