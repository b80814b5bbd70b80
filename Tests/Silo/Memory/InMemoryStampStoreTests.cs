using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Contract;

namespace OmniBridge.Tests.Silo.Memory;

public sealed class InMemoryStampStoreTests : StampStoreContract
{
    protected override IStampStore Store { get; } = new InMemoryStampStore();
}
