using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>The PostgreSQL store passes the same contract as the in-memory one, against a real server.</summary>
public sealed class PostgresStampStoreTests(PostgresDatabase database) : StampStoreContract, IClassFixture<PostgresDatabase>
{
    protected override IStampStore Store { get; } = new PostgresStampStore(database.Data);

    [Fact]
    public async Task Concurrent_identical_adds_leave_one_row()
    {
        var ns = "pg.race." + Guid.NewGuid().ToString("N")[..8];
        var hash = new string('c', 64);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.AddAsync(Samples.Record(hash, ns)))));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'"));
    }
}
