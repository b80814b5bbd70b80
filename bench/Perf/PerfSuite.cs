using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Blake3;
using OmniBridge.Api.Hashing;
using static OmniBridge.Bench.Rounds;

namespace OmniBridge.Bench.Perf;

/// <summary>
/// The performance suite: the service as it ships (Release, API key on) against baselines measured in the
/// same run: the Blake3 library and b3sum for hashing, a bare ASP.NET Core app doing the same
/// parse-hash-answer work for HTTP and streaming, single-row stamps for /batch, and the memory
/// budget. Prints one table with each row's ratio and target, and writes the latency chart.
/// </summary>
public sealed partial class PerfSuite(string root, PerfOptions options)
{
    const string Key = "obk_bench_0123456789abcdef0123456789abcdef";
    readonly List<PerfRow> rows = [];
    readonly List<LatencyBars> bars = [];
    string Dll(string project, string name) => Path.Combine(root, project, "bin", "Release", "net10.0", name);
    string Script(string name) => Path.Combine(root, "bench", "wrk", name);

    static readonly Dictionary<string, string> Auth = new() { ["API_KEY"] = Key };

    static Dictionary<string, string> SiloEnvironment(int port, int offset) => new()
    {
        ["SERVICE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["SILO_PORT"] = (11300 + offset).ToString(CultureInfo.InvariantCulture),
        ["GATEWAY_PORT"] = (30300 + offset).ToString(CultureInfo.InvariantCulture),
        ["CLUSTER_ID"] = $"bench-{offset}",
        ["Security__ApiKeys__0__Name"] = "bench",
        ["Security__ApiKeys__0__KeySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["Security__ApiKeys__0__Namespaces__0"] = "*",
        ["Security__ApiKeys__0__Scopes__0"] = "admin",
        ["MAX_CONTENT_BYTES"] = (64 << 20).ToString(CultureInfo.InvariantCulture),
    };

    Task<BenchProcess> StartSiloAsync(int port, int offset, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = SiloEnvironment(port, offset);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>()) environment[name] = value;
        return BenchProcess.StartAsync(Dll("Silo", "OmniBridge.Silo.dll"), environment, new Uri($"http://127.0.0.1:{port}/health/ready"));
    }

    /// <summary>The bare app; with <paramref name="throughGrain"/>, its JSON hash behind one grain call of a silo in its process.</summary>
    Task<BenchProcess> StartBareAsync(int port, bool throughGrain = false) =>
        BenchProcess.StartAsync(Dll(Path.Combine("bench", "BareApp"), "OmniBridge.Bench.BareApp.dll"), new Dictionary<string, string>(),
            new Uri($"http://127.0.0.1:{port}/health"), [port.ToString(CultureInfo.InvariantCulture), .. throughGrain ? ["grain"] : Array.Empty<string>()]);

    public async Task<IReadOnlyList<PerfRow>> RunAsync()
    {
        bool Runs(string section) => options.Only is null || options.Only == section;
        if (Runs("hashing")) await HashingAsync();
        if (Runs("http")) await HttpAsync();
        if (Runs("stream")) await StreamAsync();
        if (Runs("postgres") && options.Postgres is { } postgres) await PostgresAsync(postgres);
        if (Runs("memory")) await MemoryAsync();
        if (bars.Count > 0) LatencyChart.Write(Path.Combine(root, "bench", "latency.svg"), bars);
        return rows;
    }

    // 1. Hashing: the service's path (StreamHasher) against the library called directly and b3sum.
    async Task HashingAsync()
    {
        foreach (var (label, size, rounds) in new[] { ("1 KiB", 1 << 10, 20_000), ("1 MiB", 1 << 20, 300) })
        {
            var data = RandomNumberGenerator.GetBytes(size);
            var service = Throughput(size, rounds, () => StreamHasher.Hash(data));
            var library = Throughput(size, rounds, () => Hasher.Hash(data));
            var file = WriteTemp(data);
            var b3sum = B3sumSeconds(file, Math.Min(rounds, 50));
            File.Delete(file);
            rows.Add(new PerfRow($"hash {label}: service path (StreamHasher)", Rate(service), "Blake3 library, same buffer", Rate(library), service / library, null, null));
            rows.Add(new PerfRow($"hash {label}: b3sum --num-threads 1 (per process, start-up included)", Rate(size / b3sum), "Blake3 library", Rate(library), size / b3sum / library, null, null));
        }
        var big = OneGiB();
        var started = Stopwatch.GetTimestamp();
        await using (var stream = File.OpenRead(big)) await StreamHasher.HashAsync(stream, CancellationToken.None);
        var servicePath = Stopwatch.GetElapsedTime(started).TotalSeconds;
        started = Stopwatch.GetTimestamp();
        using (var stream = File.OpenRead(big))
        {
            using var hasher = Hasher.New();
            var block = new byte[1 << 20];
            int read;
            while ((read = stream.Read(block)) > 0) hasher.Update(block.AsSpan(0, read));
        }
        var direct = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var b3 = B3sumSeconds(big, 1);
        rows.Add(new PerfRow("hash 1 GiB file: service path (StreamHasher, 1 MiB blocks)", Rate((1L << 30) / servicePath), "b3sum --num-threads 1", Rate((1L << 30) / b3), b3 / servicePath, null, null));
        rows.Add(new PerfRow("hash 1 GiB file: Blake3 library, 1 MiB blocks", Rate((1L << 30) / direct), "b3sum --num-threads 1", Rate((1L << 30) / b3), b3 / direct, null, null));
    }

    // 2. HTTP at 64 and 1,000 connections: the service against the bare app.
    async Task HttpAsync()
    {
        var hashBody = WriteTemp(Encoding.UTF8.GetBytes($$"""{"content":"{{new string('x', 1024)}}"}"""));
        var stampBody = WriteTemp(Encoding.UTF8.GetBytes($$"""{"content":"{{new string('y', 1024)}}","namespace":"bench.http"}"""));
        var run = options.LoadSeconds;
        await using (var bare = await StartBareAsync(8190))
        await using (var bareGrain = await StartBareAsync(8191, throughGrain: true))
        await using (var silo = await StartSiloAsync(8197, 1))
        {
            Task<LoadResult> Load(string url, int connections, int seconds, string body, bool auth) => Wrk.RunAsync(url, connections, TimeSpan.FromSeconds(seconds), Script("post.lua"),
                auth ? new Dictionary<string, string>(Auth) { ["BODY_FILE"] = body } : new Dictionary<string, string> { ["BODY_FILE"] = body });
            // Every request a new content: each one creates a record.
            Task<LoadResult> Create(string url, int connections, int seconds) => Wrk.RunAsync(url, connections, TimeSpan.FromSeconds(seconds), Script("stamp-new.lua"),
                new Dictionary<string, string>(Auth) { ["RUN_ID"] = Guid.NewGuid().ToString("N") });
            const string service = "http://127.0.0.1:8197/api/v1/metadata-stamping";
            // Warm both up (JIT, pools), then measure.
            await Load("http://127.0.0.1:8190/hash", 64, 5, hashBody, false);
            await Load("http://127.0.0.1:8191/hash", 64, 5, hashBody, false);
            await Load(service + "/hash", 64, 5, hashBody, true);
            await Load(service + "/stamp", 64, 5, stampBody, true);

            // Memory at 1,000 connections first, before the creating rows below fill the embedded
            // default's in-memory store with hundreds of thousands of records (which it keeps).
            var bareWide = await Load("http://127.0.0.1:8190/hash", 1000, run, hashBody, false);
            var (wide, peak) = await silo.WatchAsync(() => Wrk.RunAsync(service + "/hash", 1000, TimeSpan.FromSeconds(options.HoldSeconds), Script("post.lua"),
                new Dictionary<string, string>(Auth) { ["BODY_FILE"] = hashBody }));
            rows.Add(Http($"POST /hash 1 KiB, 1,000 connections held {options.HoldSeconds} s", wide, "bare app /hash, 1,000 connections", bareWide,
                "no errors", wide.Errors == 0));
            rows.Add(new PerfRow($"silo peak RSS during the 1,000-connection run", $"{peak:0} MiB", "budget", "256 MiB", peak / 256, "< 256 MiB", peak < 256));
            bars.Add(new LatencyBars("/hash, 1,000 conn.", wide, bareWide));

            await Create(service + "/stamp", 64, 5);   // warms the creating path up too
            // Interleaved rounds, the median of each: these machines drift by a third within minutes,
            // and a baseline measured minutes apart from its subject would measure the drift.
            var rounds = new List<(LoadResult Bare, LoadResult BareGrain, LoadResult Hash, LoadResult Created, LoadResult Existing)>();
            for (var round = 0; round < 3; round++)
                rounds.Add((await Load("http://127.0.0.1:8190/hash", 64, run, hashBody, false), await Load("http://127.0.0.1:8191/hash", 64, run, hashBody, false),
                    await Load(service + "/hash", 64, run, hashBody, true), await Create(service + "/stamp", 64, run), await Load(service + "/stamp", 64, run, stampBody, true)));
            var bareHash = Median(rounds.Select(r => r.Bare), r => r.Rps);
            var bareGrainHash = Median(rounds.Select(r => r.BareGrain), r => r.Rps);
            var hash = Median(rounds.Select(r => r.Hash), r => r.Rps);
            var created = Median(rounds.Select(r => r.Created), r => r.Rps);
            var existing = Median(rounds.Select(r => r.Existing), r => r.Rps);
            rows.Add(Http("POST /hash 1 KiB, 64 connections (median of 3 interleaved rounds)", hash, "bare app /hash", bareHash, "≥ 0.6 and p99 ≤ 10 ms", hash.Rps / bareHash.Rps >= 0.6 && hash.P99Ms <= 10 && hash.Errors == 0));
            rows.Add(Http("POST /stamp 1 KiB creating a record each (embedded default), 64 conn. (median of 3)", created, "bare app /hash", bareHash, "no errors", created.Errors == 0));
            // What one grain call costs alone: the bare app's hash behind a stateless worker of a silo in its
            // process (no key, no middleware, no store), the floor of any endpoint that calls a grain.
            rows.Add(Http("bare app /hash through one grain call (its own silo's stateless worker), 64 conn. (median of 3)", bareGrainHash, "bare app /hash", bareHash, null, null));
            rows.Add(Http("POST /stamp 1 KiB creating a record each (embedded default), against the one-grain-call floor", created, "bare app /hash through one grain call", bareGrainHash, null, null));
            rows.Add(Http("POST /stamp 1 KiB of an existing record (the duplicate path), 64 conn. (median of 3)", existing, "bare app /hash", bareHash, "≥ 0.4", existing.Rps / bareHash.Rps >= 0.4 && existing.Errors == 0));
            bars.Add(new LatencyBars("/hash, 64 conn.", hash, bareHash));
            bars.Add(new LatencyBars("/stamp new, 64 conn.", created, bareHash));

            var wideStamp = await Create(service + "/stamp", 1000, run);
            rows.Add(Http("POST /stamp 1 KiB creating a record each, 1,000 connections", wideStamp, "bare app /hash, 1,000 connections", bareWide, "no errors", wideStamp.Errors == 0));
        }
        File.Delete(hashBody);
        File.Delete(stampBody);
    }

    // 3. 1 GiB streamed to /hash: the service against the bare app hashing and only draining, and b3sum.
    async Task StreamAsync()
    {
        var big = OneGiB();
        await using var bare = await StartBareAsync(8190);
        await using var silo = await StartSiloAsync(8197, 2);
        double Curl(string url, bool auth)
        {
            var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code}", "-X", "POST", "-H", "Content-Type: application/octet-stream", "-T", big, url }) start.ArgumentList.Add(a);
            if (auth) { start.ArgumentList.Add("-H"); start.ArgumentList.Add("Authorization: Bearer " + Key); }
            using var process = Process.Start(start)!;
            var said = process.StandardOutput.ReadToEnd().Split(' ');
            process.WaitForExit();
            if (said.Length < 2 || said[1] != "200") throw new InvalidOperationException($"{url} answered {string.Join(' ', said)}");
            return double.Parse(said[0], CultureInfo.InvariantCulture);
        }
        Curl("http://127.0.0.1:8190/hash", false);   // warm-up
        var before = silo.RssMiB();
        // Interleaved, best of 3 each, so that a slow minute of the machine hits all three alike.
        var (times, peak) = await silo.WatchAsync(() => Task.FromResult(Enumerable.Range(0, 3).Select(_ => (
            Service: Curl("http://127.0.0.1:8197/api/v1/metadata-stamping/hash", true),
            Bare: Curl("http://127.0.0.1:8190/hash", false),
            Drain: Curl("http://127.0.0.1:8190/drain", false))).ToList()));
        var service = times.Min(t => t.Service);
        var bareHash = times.Min(t => t.Bare);
        var drain = times.Min(t => t.Drain);
        var b3 = B3sumSeconds(big, 1);
        rows.Add(new PerfRow("1 GiB streamed to /hash (curl -T), best of 3 interleaved", Rate((1L << 30) / service), "bare app streaming through one hasher", Rate((1L << 30) / bareHash),
            bareHash / service, "≥ 0.8", bareHash / service >= 0.8));
        rows.Add(new PerfRow("1 GiB: bare app only reading and dropping (transfer ceiling)", Rate((1L << 30) / drain), "service /hash", Rate((1L << 30) / service), drain / service, null, null));
        rows.Add(new PerfRow("1 GiB: b3sum --num-threads 1 on the file (the hash's own limit)", Rate((1L << 30) / b3), "service /hash", Rate((1L << 30) / service), b3 / service, null, null));
        rows.Add(new PerfRow("silo RSS growth while streaming 1 GiB", $"{peak - before:0} MiB", "budget", "64 MiB", (peak - before) / 64, "< 64 MiB", peak - before < 64));
    }

    static async Task Post(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    // 5. Memory: the silo's RSS after minutes of mixed load.
    async Task MemoryAsync()
    {
        await using var silo = await StartSiloAsync(8197, 4);
        using (var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8197") })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
            await Post(http, "/api/v1/metadata-stamping/stamp", new { content = "Hello World", @namespace = "bench.mixed" });
        }
        var idle = silo.RssMiB();
        var (mixed, peak) = await silo.WatchAsync(() => Wrk.RunAsync("http://127.0.0.1:8197", 64, TimeSpan.FromSeconds(options.MixedSeconds), Script("mixed.lua"), Auth));
        var after = silo.RssMiB();
        rows.Add(new PerfRow($"silo RSS after {options.MixedSeconds / 60.0:0.#} min of mixed load ({mixed.Rps:0} req/s, {mixed.SocketErrors} socket errors; peak {peak:0} MiB, idle {idle:0} MiB)",
            $"{after:0} MiB", "budget", "256 MiB", after / 256, "< 256 MiB", after < 256 && peak < 256 && mixed.SocketErrors == 0));
    }

    static PerfRow Http(string what, LoadResult result, string baseline, LoadResult reference, string? target, bool? met) => new(
        $"{what}: req/s (p50/p95/p99 ms; errors)", $"{result.Rps:0} ({result.P50Ms:0.00}/{result.P95Ms:0.00}/{result.P99Ms:0.00}; {result.Errors})",
        baseline, $"{reference.Rps:0} ({reference.P50Ms:0.00}/{reference.P95Ms:0.00}/{reference.P99Ms:0.00})", result.Rps / reference.Rps, target, met);

    /// <summary>Bytes per second over the best of 5 one-second runs, after a second of warm-up (so tiered JIT has finished).</summary>
    static double Throughput(int size, int rounds, Action hash)
    {
        double Run(TimeSpan length)
        {
            long calls = 0;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < length)
            {
                for (var i = 0; i < rounds / 10 + 1; i++) hash();
                calls += rounds / 10 + 1;
            }
            return (double)size * calls / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        Run(TimeSpan.FromSeconds(1));
        return Enumerable.Range(0, 5).Max(_ => Run(TimeSpan.FromSeconds(1)));
    }

    static double B3sumSeconds(string file, int rounds)
    {
        var times = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var start = new ProcessStartInfo("b3sum") { RedirectStandardOutput = true };
            start.ArgumentList.Add("--num-threads");
            start.ArgumentList.Add("1");
            start.ArgumentList.Add(file);
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    static string WriteTemp(byte[] data)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, data);
        return path;
    }

    /// <summary>A file of 1 GiB of random bytes, made once.</summary>
    internal static string OneGiB()
    {
        var path = Path.Combine(Path.GetTempPath(), "omnibridge-bench-1gib.bin");
        if (File.Exists(path) && new FileInfo(path).Length == 1L << 30) return path;
        using var file = File.Create(path);
        var block = new byte[1 << 20];
        for (var i = 0; i < 1024; i++)
        {
            RandomNumberGenerator.Fill(block);
            file.Write(block);
        }
        return path;
    }

    static string Rate(double bytesPerSecond) => bytesPerSecond >= 1 << 30 ? $"{bytesPerSecond / (1 << 30):0.00} GiB/s" : $"{bytesPerSecond / (1 << 20):0} MiB/s";
}

public sealed record class PostgresTarget(string Host, string Port, string Database);

/// <summary>Run lengths; <see cref="Only"/> names one section (hashing, http, stream, postgres, memory) to run alone.</summary>
public sealed record class PerfOptions(int LoadSeconds, int HoldSeconds, int MixedSeconds, PostgresTarget? Postgres, string? Only = null);

/// <summary>One row of the table: what, its value, the baseline and its value in the same run, the ratio, the target and whether it was met.</summary>
public sealed record class PerfRow(string What, string Value, string Baseline, string BaselineValue, double Ratio, string? Target, bool? Met)
{
    public override string ToString() =>
        $"| {What} | {Value} | {Baseline}: {BaselineValue} | {Ratio:0.00} | {Target ?? ""} | {(Met is null ? "" : Met.Value ? "met" : "MISSED")} |";
}
