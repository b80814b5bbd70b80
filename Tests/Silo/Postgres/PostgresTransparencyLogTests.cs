using System.Security.Cryptography;
using System.Text;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>The PostgreSQL log passes the same contract as the in-memory one, against a real server.</summary>
public sealed class PostgresTransparencyLogTests(PostgresDatabase database) : TransparencyLogStoreContract, IClassFixture<PostgresDatabase>
{
    protected override IStampStore Stamps { get; } = new PostgresStampStore(database.Data);
    protected override ITransparencyLogStore Log { get; } = new PostgresTransparencyLog(database.Data);

    // A round trip per proof: a few leaves of each size keep the test short; the in-memory run checks them all.
    protected override int LeavesPerSize => 4;

    [Fact]
    public async Task Asking_about_a_namespace_without_records_leaves_no_row_behind()
    {
        var ns = "log.nothing." + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(0, await Log.IntegrateAsync(ns, 100, OmniBridge.Grains.Transparency.LogReader.Plan));

        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_logs WHERE namespace = '{ns}'"));
        Assert.Equal(0L, await Log.SizeAsync(ns));
    }

    [Fact]
    public async Task A_log_three_tile_levels_deep_proves_from_another_silos_store_as_it_grows()
    {
        // 2^14 leaves fill a tile of the third level; the second store, like a second silo, keeps
        // the tiles it read and must read them again when the log has grown past their end.
        var ns = "log.deep." + Guid.NewGuid().ToString("N")[..8];
        var records = await StoreRecordsAsync(ns, 17_000);
        var leaves = records.ConvertAll(LogLeaf.Of);
        var writer = Log;
        using var other = new PostgresTransparencyLog(database.Data);
        var reader = new LogReader(other);
        var random = new Random(14);

        foreach (var size in new[] { 16_500, 17_000 })
        {
            while (await writer.SizeAsync(ns) < size) await writer.IntegrateAsync(ns, Math.Min(5_000, size - (int)await writer.SizeAsync(ns)), LogReader.Plan);
            var root = Rfc9162.Root(leaves[..size]);
            Assert.Equal(root, await reader.RootAsync(ns, size));
            foreach (var index in new[] { 0, size - 1, 16_383, 16_384 }.Concat(Enumerable.Range(0, 40).Select(_ => random.Next(size))))
            {
                var path = await reader.InclusionAsync(ns, index, size);
                Assert.True(Rfc9162.VerifyInclusion(index, size, Rfc9162.LeafHash(leaves[index]), path, root), $"leaf {index} of {size}");
            }
            foreach (var from in new[] { 1, 128, 16_384, 16_500 }.Where(f => f <= size))
                Assert.True(Rfc9162.VerifyConsistency(from, size, Rfc9162.Root(leaves[..from]), root, await reader.ConsistencyAsync(ns, from, size)), $"{from} to {size}");
        }
    }

    [Fact]
    public async Task Integrating_a_batch_reads_about_the_batch_from_the_backlog_however_long_the_backlog_is()
    {
        // A burst leaves 20,000 records waiting in one namespace; the statistics know it (autovacuum would).
        var ns = "log.burst." + Guid.NewGuid().ToString("N")[..8];
        var records = await StoreRecordsAsync(ns, 20_000);
        await database.ExecuteAsync("ANALYZE transparency_log_backlog");
        var before = await database.SettledReadsAsync("transparency_log_backlog");

        Assert.Equal(500, await Log.IntegrateAsync(ns, 500, LogReader.Plan));

        // Reading the 500 oldest and deleting them touches about a thousand rows; a plan that joined the ids to the
        // namespace's whole backlog read all 20,000 for each batch, and a burst took minutes to integrate.
        var read = await database.SettledReadsAsync("transparency_log_backlog", before) - before;
        Assert.InRange(read, 500, 2_000);
        Assert.Equal(19_500L, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_backlog WHERE namespace = '{ns}'"));
        Assert.Equal(records[..500].Select(LogLeaf.Of), (await Log.EntriesAsync(ns, 0, 500, 500)).Select(e => e.Leaf));
    }

    /// <summary>Stores <paramref name="count"/> records of distinct contents in <paramref name="ns"/>, a millisecond apart, in batches of 2,000.</summary>
    async Task<List<StampRecord>> StoreRecordsAsync(string ns, int count)
    {
        var records = Enumerable.Range(0, count).Select(i => Samples.Record(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns + i))), ns,
            createdAt: Samples.Noon.AddMilliseconds(i), id: Guid.CreateVersion7())).ToList();
        foreach (var chunk in records.Chunk(2_000)) await Stamps.AddBatchAsync(chunk);
        return records;
    }
}
