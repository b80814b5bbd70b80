using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

public sealed class PostgresNamespaceLedgerTests(PostgresDatabase database) : NamespaceLedgerContract, IClassFixture<PostgresDatabase>
{
    protected override IStampStore Store { get; } = new PostgresStampStore(database.Data);
    protected override INamespaceLedger Ledger { get; } = new PostgresNamespaceLedger(database.Data);
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
