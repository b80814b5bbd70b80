using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using static OmniBridge.Bench.Rounds;

namespace OmniBridge.Bench.Perf;

public sealed partial class PerfSuite
{
    /// <summary>The table the database baselines write: the same unique key as metadata_stamps, and a 1 KiB stamp.</summary>
    const string BaselineTable = """
        CREATE TABLE IF NOT EXISTS baseline_stamps (
            id bigserial PRIMARY KEY,
            namespace text NOT NULL,
            file_hash text NOT NULL,
            stamp text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (namespace, file_hash))
        """;

    // 4. PostgreSQL: the service's stamps against the database's own speed on the same server, in the
    // same run: /stamp creating records against pgbench inserting one row per transaction (64 clients
    // each), and /batch against a binary COPY of the same rows. And the transparency log's cost and
    // proofs: /stamp with the log on against a silo with LOG_ENABLED=false (a database of its own),
    // how soon the log holds every record after the load, and inclusion proofs at 64 connections.
    async Task PostgresAsync(PostgresTarget postgres)
    {
        var connection = $"Host={postgres.Host};Port={postgres.Port};Username=postgres;Database={postgres.Database}";
        await using var database = NpgsqlDataSource.Create(connection);
        await using (var create = database.CreateCommand(BaselineTable)) await create.ExecuteNonQueryAsync();
        var withoutLog = postgres.Database + "_nolog";
        await using (var exists = database.CreateCommand($"SELECT count(*) FROM pg_database WHERE datname = '{withoutLog}'"))
        {
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                await using var make = database.CreateCommand($"CREATE DATABASE {withoutLog}");
                await make.ExecuteNonQueryAsync();
            }
        }
        Dictionary<string, string> On(string db) => new()
        {
            ["POSTGRES_HOST"] = postgres.Host, ["POSTGRES_PORT"] = postgres.Port, ["POSTGRES_DB"] = db, ["POSTGRES_USER"] = "postgres",
        };
        await using var silo = await StartSiloAsync(8197, 3, On(postgres.Database));
        await using var unlogged = await StartSiloAsync(8198, 4, new Dictionary<string, string>(On(withoutLog)) { ["LOG_ENABLED"] = "false" });
        await AtRestAsync(silo, postgres.Database);
        // The memory target applies to this path too (issue 14): the silo with the log, through every row below.
        await using var memory = silo.WatchMemory();
        var run = options.LoadSeconds;
        Task<LoadResult> Create(int port, int seconds) => Wrk.RunAsync($"http://127.0.0.1:{port}/api/v1/metadata-stamping/stamp", 64, TimeSpan.FromSeconds(seconds), Script("stamp-new.lua"),
            new Dictionary<string, string>(Auth) { ["RUN_ID"] = Guid.NewGuid().ToString("N") });

        // Single stamps: warm all up, then three interleaved rounds, the median of each.
        var script = PgbenchScript();
        await Create(8197, 5);
        await Create(8198, 5);
        Pgbench(postgres, script, 5);
        var rounds = new List<(PgbenchResult Baseline, LoadResult Stamps, LoadResult Unlogged)>();
        for (var round = 0; round < 3; round++) rounds.Add((Pgbench(postgres, script, run), await Create(8197, run), await Create(8198, run)));
        File.Delete(script);
        var baseline = Median(rounds.Select(r => r.Baseline), r => r.Tps);
        var stamps = Median(rounds.Select(r => r.Stamps), r => r.Rps);
        var plain = Median(rounds.Select(r => r.Unlogged), r => r.Rps);
        rows.Add(new PerfRow("POST /stamp 1 KiB creating a record each, on PostgreSQL, 64 conn. (median of 3): req/s (p50/p95/p99 ms; errors)",
            $"{stamps.Rps:0} ({stamps.P50Ms:0.00}/{stamps.P95Ms:0.00}/{stamps.P99Ms:0.00}; {stamps.Errors})",
            "pgbench, one 1 KiB row per transaction, 64 clients: tps (mean latency ms)", $"{baseline.Tps:0} ({baseline.LatencyMs:0.00})",
            stamps.Rps / baseline.Tps, "≥ 0.5 and p99 ≤ 25 ms", stamps.Rps / baseline.Tps >= 0.5 && stamps.P99Ms <= 25 && stamps.Errors == 0));
        rows.Add(new PerfRow("POST /stamp creating, on PostgreSQL, transparency log on (the row above): req/s", $"{stamps.Rps:0}",
            "the same on a silo with LOG_ENABLED=false (median of 3, interleaved)", $"{plain.Rps:0} (p99 {plain.P99Ms:0.00} ms; {plain.Errors} errors)",
            stamps.Rps / plain.Rps, "≥ 0.9", stamps.Rps / plain.Rps >= 0.9 && plain.Errors == 0));
        var peakAfterStamps = memory.PeakSoFar;
        await LogAsync(database, () => Create(8197, run));

        // Batches: 40 of 1,000 × 1 KiB from 4 callers, through /batch and as a plain COPY.
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8197"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        var filler = new string('b', 1000);
        var batchId = 0;
        async Task<double> Batches(int count) => (await Concurrently.EachAsync([.. Enumerable.Range(1, count)], 4, i => Post(http, "/api/v1/metadata-stamping/batch", new
        {
            @namespace = "bench.pg",
            items = Enumerable.Range(0, 1000).Select(n => new { content = $"{filler} batch {Interlocked.Increment(ref batchId)} {i} {n}" }),
        }))).TotalSeconds;
        async Task<double> Copies(int count) => (await Concurrently.EachAsync([.. Enumerable.Range(1, count)], 4, _ => CopyAsync(database, filler))).TotalSeconds;
        // Warm-up long enough for the tiered JIT to finish with the /batch path (a fresh silo spends
        // about its first 80,000 items compiling: bench/README.md, "A backlog table for the log").
        var peakAfterLog = memory.PeakSoFar;
        await Batches(80);
        await Copies(4);
        var batchRounds = new List<(double Copy, double Batch)>();
        for (var round = 0; round < 3; round++) batchRounds.Add((40_000 / await Copies(40), 40_000 / await Batches(40)));
        // The log keeps up with batches too (a backlog that grew through a load of batches once took minutes to drain).
        await LogCatchUpAsync(database, "bench.pg", "/batch");
        var copy = Median(batchRounds.Select(r => r.Copy), r => r);
        var batch = Median(batchRounds.Select(r => r.Batch), r => r);
        rows.Add(new PerfRow("POST /batch of 1,000 × 1 KiB on PostgreSQL, 4 callers (median of 3): stamps/s", $"{batch:0}",
            "binary COPY of 1,000 × 1 KiB rows, 4 callers: rows/s", $"{copy:0}", batch / copy, "≥ 0.5", batch / copy >= 0.5));
        var peak = await memory.StopAsync();
        rows.Add(new PerfRow($"silo peak RSS through the PostgreSQL rows above (/stamp {peakAfterStamps:0}, the log and proofs {peakAfterLog:0}, /batch {peak:0} MiB)", $"{peak:0} MiB", "budget", "256 MiB", peak / 256, "< 256 MiB", peak < 256));
    }

    /// <summary>
    /// The log of the namespace the /stamp rounds wrote: how long after one more round of
    /// <paramref name="load"/> its size reaches the record count, then inclusion proofs of records
    /// picked at random at 64 connections, and at 8.
    /// </summary>
    async Task LogAsync(NpgsqlDataSource database, Func<Task<LoadResult>> load)
    {
        const string ns = "bench.new";
        await load();
        var records = await LogCatchUpAsync(database, ns, "/stamp");

        var hashes = Path.GetTempFileName();
        await using (var pick = database.CreateCommand($"SELECT m.file_hash FROM metadata_stamps m JOIN transparency_log_leaves l ON l.stamp_id = m.stamp_id WHERE m.namespace = '{ns}' ORDER BY random() LIMIT 20000"))
        await using (var reader = await pick.ExecuteReaderAsync())
        await using (var file = File.CreateText(hashes))
        {
            while (await reader.ReadAsync()) await file.WriteLineAsync(reader.GetString(0));
        }
        // Let the log sign the checkpoint that covers them, then prove at 64 connections.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Task<LoadResult> Proofs(int seconds, int connections = 64) => Wrk.RunAsync($"http://127.0.0.1:8197/api/v1/transparency/{ns}/proof/inclusion", connections,
            TimeSpan.FromSeconds(seconds), Script("proof.lua"), new Dictionary<string, string>(Auth) { ["HASHES_FILE"] = hashes, ["PROOF_NAMESPACE"] = ns });
        await Proofs(3);
        var proofs = await Proofs(options.LoadSeconds);
        // The same at 8 connections: with callers always waiting, the mean latency is connections ÷ rate, so the p99
        // at 64 says as much about the rate as about a proof (bench/README.md, "Proofs at 64 connections").
        var few = await Proofs(options.LoadSeconds, 8);
        File.Delete(hashes);
        rows.Add(new PerfRow($"GET an inclusion proof in a log of {records:N0} leaves, 64 conn.: req/s (p50/p95/p99 ms; errors)",
            $"{proofs.Rps:0} ({proofs.P50Ms:0.00}/{proofs.P95Ms:0.00}/{proofs.P99Ms:0.00}; {proofs.Errors})",
            "budget: p99", "5 ms", proofs.P99Ms / 5, "p99 ≤ 5 ms", proofs.P99Ms <= 5 && proofs.Errors == 0));
        rows.Add(new PerfRow("the same proofs at 8 connections: req/s (p50/p95/p99 ms; errors)",
            $"{few.Rps:0} ({few.P50Ms:0.00}/{few.P95Ms:0.00}/{few.P99Ms:0.00}; {few.Errors})",
            "budget: p99", "5 ms", few.P99Ms / 5, null, null));
    }

    /// <summary>
    /// Right after a load: how long until the log of <paramref name="ns"/> holds every record of it (a row of the
    /// table, against issue 15's 2 s); returns the record count.
    /// </summary>
    async Task<long> LogCatchUpAsync(NpgsqlDataSource database, string ns, string load)
    {
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = database.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        var waited = Stopwatch.StartNew();
        var records = await ScalarAsync($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'");
        while (await ScalarAsync($"SELECT coalesce(max(tree_size), 0) FROM transparency_logs WHERE namespace = '{ns}'") < records && waited.Elapsed < TimeSpan.FromMinutes(2))
            await Task.Delay(50);
        var caughtUp = waited.Elapsed.TotalSeconds;
        rows.Add(new PerfRow($"transparency log: its size reaches the record count ({records:N0}) after the {load} load", $"{caughtUp:0.00} s",
            "budget", "2 s", caughtUp / 2, "≤ 2 s", caughtUp <= 2));
        return records;
    }

    /// <summary>1,000 rows of distinct hashes and a 1 KiB stamp, by binary COPY, in one transaction (as a COPY is).</summary>
    static async Task CopyAsync(NpgsqlDataSource database, string filler)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync("COPY baseline_stamps (namespace, file_hash, stamp) FROM STDIN (FORMAT BINARY)");
        for (var n = 0; n < 1000; n++)
        {
            await import.StartRowAsync();
            await import.WriteAsync("bench.copy", NpgsqlDbType.Text);
            await import.WriteAsync(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), NpgsqlDbType.Text);
            await import.WriteAsync(filler, NpgsqlDbType.Text);
        }
        await import.CompleteAsync();
    }

    /// <summary>A pgbench script inserting one row per transaction: a new 64-hex hash and a 1 KiB stamp sent by the client.</summary>
    static string PgbenchScript()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, $"INSERT INTO baseline_stamps (namespace, file_hash, stamp) VALUES ('bench.pgbench', md5(random()::text || clock_timestamp()::text) || md5(random()::text), '{new string('p', 1024)}');\n");
        return path;
    }

    static PgbenchResult Pgbench(PostgresTarget postgres, string script, int seconds)
    {
        var start = new ProcessStartInfo("pgbench") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", postgres.Host, "-p", postgres.Port, "-U", "postgres", "-n", "-c", "64", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, postgres.Database })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var tps = TpsLine().Match(output);
        var latency = LatencyLine().Match(output);
        if (process.ExitCode != 0 || !tps.Success) throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output} {errors.Result}");
        return new PgbenchResult(double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
            latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    sealed record class PgbenchResult(double Tps, double LatencyMs);

    /// <summary>
    /// What a PostgreSQL silo costs doing nothing (its background loops: the log's integration, the outbox relay, the
    /// reducers' sweeps, run signals' reads), against an embedded silo started beside it, over the same 10 s, once both
    /// have been up for 10 s. The CPU of PostgreSQL's backends for the silo's database is shown beside it.
    /// </summary>
    async Task AtRestAsync(BenchProcess silo, string database)
    {
        await using var embedded = await StartSiloAsync(8199, 5);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (pg, plain, mark) = (silo.CpuTime(), embedded.CpuTime(), CpuMark.Now(database));
        await Task.Delay(TimeSpan.FromSeconds(10));
        double Share(TimeSpan used) => used.TotalSeconds / 10;
        var (pgShare, plainShare) = (Share(silo.CpuTime() - pg), Share(embedded.CpuTime() - plain));
        var server = (CpuMark.Now(database).PostgresMs - mark.PostgresMs) / 10_000;
        rows.Add(new PerfRow("PostgreSQL silo at rest, 10 s after start: share of a core used (its database's backends)",
            string.Create(CultureInfo.InvariantCulture, $"{pgShare:P1} ({server:P1})"), "embedded silo at rest, the same 10 s",
            plainShare.ToString("P1", CultureInfo.InvariantCulture), pgShare / plainShare, null, null));
    }
}
