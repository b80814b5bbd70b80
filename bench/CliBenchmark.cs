using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OmniBridge.Bench.Perf;
using static OmniBridge.Bench.Rounds;

namespace OmniBridge.Bench;

/// <summary>
/// The command-line client against its baselines in the same run (docs/cli.md): <c>omnibridge
/// hash</c> of 1 GiB against b3sum on one thread and on all of them, each a process with its
/// start-up, rounds interleaved; and <c>omnibridge stamp</c> of 10,000 small files against
/// /batch called directly with the same items, on the embedded default. The tool measured is the
/// installed command given (bench/run.sh installs it as docs/cli.md says), else the build output.
/// </summary>
public static class CliBenchmark
{
    const int Files = 10_000;

    public static async Task<IReadOnlyList<PerfRow>> RunAsync(string root, int rounds, string? command)
    {
        // The installed command, or the framework-dependent build output run through dotnet.
        string[] tool = command is null ? ["dotnet", Path.Combine(root, "Cli", "bin", "Release", "net10.0", "omnibridge.dll")] : [command];
        Console.WriteLine($"omnibridge measured: {string.Join(' ', tool)}");
        var rows = new List<PerfRow>();

        var file = PerfSuite.OneGiB();
        var (omni, single, all) = (new List<double>(), new List<double>(), new List<double>());
        Seconds([.. tool, "hash", file]);   // the file in the page cache, the tool's files too
        for (var i = 0; i < rounds; i++)
        {
            omni.Add(Seconds([.. tool, "hash", file]));
            single.Add(Seconds(["b3sum", "--num-threads", "1", file]));
            all.Add(Seconds(["b3sum", file]));
        }
        var (o, s, a) = (Median(omni), Median(single), Median(all));
        rows.Add(new PerfRow("omnibridge hash, 1 GiB file (a process, start-up included; median)", Rate(o), "b3sum --num-threads 1", Rate(s), s / o, "≥ 1.5", s / o >= 1.5));
        rows.Add(new PerfRow("omnibridge hash, 1 GiB file (same runs)", Rate(o), $"b3sum, its default threads ({Environment.ProcessorCount})", Rate(a), a / o, "≥ 0.8", a / o >= 0.8));

        var port = 18500 + Random.Shared.Next(400);
        await using var silo = await BenchProcess.StartAsync(Path.Combine(root, "Silo", "bin", "Release", "net10.0", "OmniBridge.Silo.dll"), new Dictionary<string, string>
        {
            ["SERVICE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["SILO_PORT"] = (11900 + port % 50).ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = (30900 + port % 50).ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_ID"] = "bench-cli",
        }, new Uri($"http://127.0.0.1:{port}/health/ready"));
        var server = $"http://127.0.0.1:{port}";
        var tree = Path.Combine(Path.GetTempPath(), "omnibridge-bench-tree-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var contents = MakeTree(tree);
            using var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(5) };
            var (cli, batch) = (new List<double>(), new List<double>());
            await BatchSecondsAsync(http, "bench.cli.warm", contents);
            for (var i = 0; i < Math.Max(1, rounds / 2); i++)
            {
                batch.Add(await BatchSecondsAsync(http, $"bench.cli.batch{i}", contents));
                foreach (var manifest in Directory.EnumerateFiles(tree, "onex-*")) File.Delete(manifest);
                cli.Add(Seconds([.. tool, "stamp", tree, "--namespace", $"bench.cli.tree{i}", "--server", server]));
            }
            var (c, b) = (Median(cli), Median(batch));
            rows.Add(new PerfRow($"omnibridge stamp of {Files:N0} files of 1 KiB, embedded default (a process; median): files/s", $"{Files / c:0}",
                "/batch called directly with the same items (1,000 per call, 4 callers)", $"{Files / b:0}", b / c, "≥ 0.5", b / c >= 0.5));
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }
        return rows;
    }

    /// <summary>Files of 1 KiB of distinct text in 100 folders; their contents, for the baseline.</summary>
    static List<byte[]> MakeTree(string tree)
    {
        var contents = new List<byte[]>(Files);
        var random = new Random(Files);
        for (var i = 0; i < Files; i++)
        {
            var line = new StringBuilder(1024).Append(CultureInfo.InvariantCulture, $"file {i}\n");
            while (line.Length < 1024) line.Append((char)('a' + random.Next(26)));
            var bytes = Encoding.ASCII.GetBytes(line.ToString());
            var path = Path.Combine(tree, $"d{i % 100:D2}", $"f{i:D5}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            contents.Add(bytes);
        }
        return contents;
    }

    static async Task<double> BatchSecondsAsync(HttpClient http, string ns, List<byte[]> contents)
    {
        var bodies = contents.Chunk(1000).Select(chunk => JsonSerializer.SerializeToUtf8Bytes(new
        {
            @namespace = ns,
            items = chunk.Select(bytes => new { content_base64 = Convert.ToBase64String(bytes) }),
        })).ToList();
        var elapsed = await Concurrently.EachAsync(bodies, 4, async body =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/api/v1/metadata-stamping/batch", content);
            response.EnsureSuccessStatusCode();
        });
        return elapsed.TotalSeconds;
    }

    static double Seconds(string[] command)
    {
        var (program, arguments) = (command[0], command[1..]);
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors.Result}");
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    static string Rate(double seconds) => $"{(1L << 30) / seconds / (1 << 30):0.00} GiB/s";
}
