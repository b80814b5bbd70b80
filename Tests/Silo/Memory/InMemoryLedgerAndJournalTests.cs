using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Contract;

namespace OmniBridge.Tests.Silo.Memory;

public sealed class InMemoryNamespaceLedgerTests : NamespaceLedgerContract
{
    readonly InMemoryStampStore store = new();
    protected override IStampStore Store => store;
    protected override INamespaceLedger Ledger => store;
}

public sealed class InMemoryWorkflowJournalTests : WorkflowJournalContract
{
    protected override IWorkflowJournal Journal { get; } = new InMemoryWorkflowJournal();
}

public sealed class InMemoryRunSignalLogTests : RunSignalLogContract
{
    protected override IRunSignalLog Log { get; } = new InMemoryRunSignalLog();
}

public sealed class InMemoryCodegenEventLogTests : CodegenEventLogContract
{
    protected override ICodegenEventLog Log { get; } = new InMemoryCodegenEventLog();
}
