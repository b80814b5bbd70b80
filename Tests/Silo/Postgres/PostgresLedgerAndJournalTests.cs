using System.Security.Cryptography;
using System.Text;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

public sealed class PostgresNamespaceLedgerTests(PostgresDatabase database) : NamespaceLedgerContract, IClassFixture<PostgresDatabase>
{
    protected override IStampStore Store { get; } = new PostgresStampStore(database.Data);
    protected override INamespaceLedger Ledger { get; } = new PostgresNamespaceLedger(database.Data);

    [Fact]
    public async Task A_sweep_claims_about_its_limit_from_the_backlog_however_long_the_backlog_is()
    {
        // An outage leaves 20,000 stamps unfolded in one namespace; the statistics know it (autovacuum would).
        var ns = "ledger.burst." + Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 20_000).Select(i => Samples.Record(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns + i))), ns)).ToList();
        foreach (var chunk in records.Chunk(2_000)) await Store.AddBatchAsync(chunk);
        await database.ExecuteAsync("ANALYZE reducer_backlog");
        var before = await database.SettledReadsAsync("reducer_backlog");

        var folded = await Ledger.FoldAsync(ns, 0, null, 500, stamps => new NamespaceTally { TotalStamps = stamps.Count });

        // A semi-join with the backlog was hashed against a scan of all 20,000 rows for every claim.
        Assert.Equal(500, folded!.Tally.TotalStamps);
        Assert.InRange(await database.SettledReadsAsync("reducer_backlog", before) - before, 500, 2_000);
        Assert.Equal(19_500L, await database.ScalarAsync<long>($"SELECT count(*) FROM reducer_backlog WHERE namespace = '{ns}'"));
    }
}

public sealed class PostgresWorkflowJournalTests(PostgresDatabase database) : WorkflowJournalContract, IClassFixture<PostgresDatabase>
{
    protected override IWorkflowJournal Journal { get; } = new PostgresWorkflowJournal(database.Data);
}

public sealed class PostgresRunSignalLogTests(PostgresDatabase database) : RunSignalLogContract, IClassFixture<PostgresDatabase>
{
    protected override IRunSignalLog Log { get; } = new PostgresRunSignalLog(database.Data);
}

public sealed class PostgresCodegenEventLogTests(PostgresDatabase database) : CodegenEventLogContract, IClassFixture<PostgresDatabase>
{
    protected override ICodegenEventLog Log { get; } = new PostgresCodegenEventLog(database.Data);
}
