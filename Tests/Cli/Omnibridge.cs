using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The real <c>omnibridge</c> tool as a process, run from its own build output as
/// <c>dotnet run --project Cli</c> runs it, its output redirected as in a CI job. Every run checks
/// that nothing it printed carries a terminal escape: without a terminal there are no colours and
/// no progress bars, even when TERM claims a colour terminal.
/// </summary>
public static class Omnibridge
{
    public static string Dll => Path.Combine(
        AppContext.BaseDirectory.Replace(Path.Combine("Tests", "bin"), Path.Combine("Cli", "bin"), StringComparison.Ordinal),
        "omnibridge.dll");

    /// <param name="executable">The tool to run: the build output through <c>dotnet</c> when null, else an installed command.</param>
    public static async Task<CliRun> RunAsync(IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        byte[]? input = null, string? executable = null)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet", executable is null ? [Dll, .. arguments] : arguments)
        {
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["OMNIBRIDGE_URL"] = null;
        start.Environment["OMNIBRIDGE_API_KEY"] = null;
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["NO_COLOR"] = null;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        var output = new MemoryStream();
        var copying = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        await copying;
        var run = new CliRun(process.ExitCode, output.ToArray(), await errors);
        Assert.DoesNotContain((byte)0x1B, run.Stdout);
        Assert.DoesNotContain('\u001B', run.Stderr);
        return run;
    }
}

/// <summary>What a run of the tool left: its exit code and what it printed.</summary>
public sealed record class CliRun(int ExitCode, byte[] Stdout, string Stderr)
{
    public string Output => Encoding.UTF8.GetString(Stdout);

    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>The status of each file in <c>verify --json</c>'s answer.</summary>
    public IReadOnlyDictionary<string, string> Statuses =>
        Json.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("status").GetString()!);

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Stderr}";
}
