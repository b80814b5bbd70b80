using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;

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
}
