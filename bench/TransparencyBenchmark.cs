using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Bench;

/// <summary>
/// The transparency log's targets on PostgreSQL (docs/transparency.md), at the store level, each
/// against its baseline in the same run: single stamps through group commit (the /stamp path)
/// with and without a log integrating beside them, how long the log takes to catch up after the
/// load, and inclusion proofs (record and checkpoint, then the hash tiles of the path: what the query grain reads)
/// in a log of <c>leaves</c> leaves at 64 concurrent callers. HTTP and grain hops are not in
/// these figures. Run: <c>bench log CONNECTION_STRING [stamps=50000] [leaves=1000000] [proof callers=64]</c>; the log of
/// <c>leaves</c> leaves is built once per database and reused.
/// </summary>
public static class TransparencyBenchmark
{
    const int Callers = 64;
    static readonly TimeSpan IntegrateEvery = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string connectionString, int stamps, int leaves, int proofCallers = Callers)
    {
        await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 80 }.ConnectionString);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);
        await using var store = new GroupCommitStampStore(new PostgresStampStore(database));
        var log = new PostgresTransparencyLog(database);

        await StampAsync(store, Records("warmup.log", 5000));
        var off = await StampAsync(store, Records("bench.log.off", stamps));
        var ns = "bench.log.on";
        using var integrating = new CancellationTokenSource();
        var integrator = IntegrateAsync(log, ns, integrating.Token);
        var on = await StampAsync(store, Records(ns, stamps));
        var loadEnded = Stopwatch.GetTimestamp();
        while (await log.SizeAsync(ns) < stamps) await Task.Delay(10);
        var catchUp = Stopwatch.GetElapsedTime(loadEnded);
        await integrating.CancelAsync();
        await integrator;

        Console.WriteLine("| transparency log on PostgreSQL | value | baseline (same run) | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Invariant($"| single stamps/s ({Callers} callers, group commit), log on | {stamps / on.TotalSeconds:F0} | {stamps / off.TotalSeconds:F0} (log off) | {off.TotalSeconds / on.TotalSeconds:F2} | >= 0.9 |"));
        Console.WriteLine(Invariant($"| log size reaches the record count after the load | {catchUp.TotalSeconds:F2} s | | | <= 2 s |"));

        var proofs = await ProofsAsync(store, log, leaves, proofCallers, new NpgsqlConnectionStringBuilder(connectionString).Database);
        Console.WriteLine(Invariant($"| inclusion proof at {leaves:N0} leaves ({proofCallers} callers), p50 / p99 | {proofs.P50:F2} / {proofs.P99:F2} ms | | | p99 <= 5 ms at 64 |"));
        Console.WriteLine(Invariant($"| {proofs.Cpu} | | | | |"));
        return 0;
    }

    static Task<TimeSpan> StampAsync(IStampStore store, List<StampRecord> records) =>
        Concurrently.EachAsync(records, Callers, record => store.AddAsync(record));

    /// <summary>What a log grain does: take in what waits, then wait one integration period.</summary>
    static async Task IntegrateAsync(ITransparencyLogStore log, string ns, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long before, after;
            do
            {
                before = await log.SizeAsync(ns, CancellationToken.None);
                after = await log.IntegrateAsync(ns, 5000, LogReader.Plan, CancellationToken.None);
            }
            while (after - before == 5000);
            try
            {
                await Task.Delay(IntegrateEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    static async Task<(double P50, double P99, string Cpu)> ProofsAsync(IStampStore stamps, ITransparencyLogStore log, int leaves, int callers, string? database)
    {
        const string ns = "bench.log.proofs";
        var size = await log.SizeAsync(ns);
        if (size < leaves)
        {
            // Built once per database: a rerun reuses the log.
            await Concurrently.EachAsync(Records(ns, leaves).Chunk(1000).ToList(), 4, chunk => stamps.AddBatchAsync(chunk));
            while (await log.IntegrateAsync(ns, 5000, LogReader.Plan) < leaves) { }
            size = await log.SizeAsync(ns);
        }
        var hashes = Sample(ns, size);
        var reader = new LogReader(log);
        var random = new Random(15);
        var picks = Enumerable.Range(0, 20_000).Select(_ => hashes[random.Next(hashes.Count)]).ToArray();
        var times = new double[picks.Length];
        var mark = CpuMark.Now(database);
        await Concurrently.EachAsync([.. Enumerable.Range(0, picks.Length)], callers, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                // As the query grain does it: the record and the checkpoint side by side, the leaf
                // made from the record, then the tiles of the audit path.
                var checkpoint = log.CheckpointAsync(ns);
                var record = (await stamps.FindAsync(ns, picks[i]))!;
                await checkpoint;
                _ = LogLeaf.Of(record);
                await reader.InclusionAsync(ns, record.LogIndex!.Value, size);
            }
            catch (DependencyUnavailableException)
            {
                // A proof that waited past the store's deadline counts with the time it took.
            }
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        var cpu = mark.Per("proof", $"{callers} callers", picks.Length);
        Array.Sort(times);
        return (times[times.Length / 2], times[(int)(times.Length * 0.99)], cpu);

        // The hashes of 50,000 of the log's records, spread over it.
        static List<string> Sample(string namespaceName, long count)
        {
            var records = Records(namespaceName, (int)count);
            var every = (int)Math.Max(1, count / 50_000);
            return [.. records.Where((_, i) => i % every == 0).Select(r => r.FileHash)];
        }
    }

    /// <summary>Records as the stamp worker builds them, for small distinct content; the same hashes for the same namespace and count.</summary>
    static List<StampRecord> Records(string ns, int count) => BenchRecords.Of(ns, count, 200, new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc));

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
