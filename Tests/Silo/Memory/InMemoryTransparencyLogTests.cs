using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Contract;

namespace OmniBridge.Tests.Silo.Memory;

public sealed class InMemoryTransparencyLogTests : TransparencyLogStoreContract
{
    readonly InMemoryStampStore store = new();

    protected override IStampStore Stamps => store;
    protected override ITransparencyLogStore Log => store;
}
