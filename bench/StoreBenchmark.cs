using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Bench;

/// <summary>
/// Stamps persisted per second in PostgreSQL: the batch path (1000 records in one round trip)
/// against single-row inserts (the /stamp path), on the same database in the same run.
/// </summary>
public static class StoreBenchmark
{
    const int BatchSize = 1000;
    const int Callers = 16;

    public static async Task<int> RunAsync(string connectionString, int stamps)
    {
        await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 50 }.ConnectionString);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);
        var store = new PostgresStampStore(database);

        await SinglesAsync(store, Records("warmup.single", 2000));
        await BatchesAsync(store, Records("warmup.batch", 2000));

        var single = await SinglesAsync(store, Records("bench.single", stamps));
        var batch = await BatchesAsync(store, Records("bench.batch", stamps));

        Console.WriteLine($"| path | stamps | seconds | stamps/s |");
        Console.WriteLine($"|---|---|---|---|");
        Console.WriteLine(Row($"single-row inserts ({Callers} concurrent callers)", stamps, single));
        Console.WriteLine(Row($"batch inserts ({BatchSize} per round trip, 4 concurrent)", stamps, batch));
        Console.WriteLine($"ratio batch / single: {single.TotalSeconds / batch.TotalSeconds:F1}");
        return 0;
    }

    static string Row(string path, int stamps, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"| {path} | {stamps} | {elapsed.TotalSeconds:F2} | {stamps / elapsed.TotalSeconds:F0} |");

    static Task<TimeSpan> SinglesAsync(IStampStore store, IReadOnlyList<StampRecord> records) =>
        Concurrently.EachAsync(records, Callers, record => store.AddAsync(record));

    static Task<TimeSpan> BatchesAsync(IStampStore store, IReadOnlyList<StampRecord> records) =>
        Concurrently.EachAsync(records.Chunk(BatchSize).ToList(), 4, batch => store.AddBatchAsync(batch));

    /// <summary>Records as the stamp worker builds them, for 1 KiB of distinct content each.</summary>
    static List<StampRecord> Records(string ns, int count) => BenchRecords.Of(ns, count, 1000, DateTime.UtcNow);
}
