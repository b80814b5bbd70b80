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
}
