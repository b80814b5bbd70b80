using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>Every curl example in the README works against the service as written (only the port differs).</summary>
public sealed partial class ReadmeExamplesTests
{
    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    static List<string> CurlExamples() =>
        BashBlock().Matches(File.ReadAllText(Path.Combine(Repository.Root, "README.md")))
            .SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Where(line => line.StartsWith("curl ", StringComparison.Ordinal))
            .ToList();

    [Fact]
    public async Task Every_curl_example_succeeds_against_a_running_service()
    {
        var examples = CurlExamples();
        Assert.True(examples.Count >= 10, $"expected curl examples in the README, found {examples.Count}");
        await using var service = await ServiceProcess.StartReadyAsync();

        foreach (var example in examples)
        {
            var command = example.Replace("localhost:8053", "localhost:" + service.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var (exitCode, output) = await RunAsync(command);

            Assert.True(exitCode == 0, $"exit code {exitCode}: {example}\n{output}");
            Assert.False(string.IsNullOrWhiteSpace(output), $"no output: {example}");
            if (output.TrimStart().StartsWith('{'))
            {
                using var body = JsonDocument.Parse(output);
                if (body.RootElement.TryGetProperty("status", out var status) && body.RootElement.TryGetProperty("metadata", out _))
                    Assert.True(status.GetString() != "error", $"{example}\n{output}");
            }
        }
    }

    static async Task<(int ExitCode, string Output)> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + errors);
    }
}
