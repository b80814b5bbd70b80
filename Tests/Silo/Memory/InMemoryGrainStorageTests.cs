using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains;
using OmniBridge.Tests.Contract;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Silo.Memory;
using Orleans.Providers;
using Orleans.Storage;

namespace OmniBridge.Tests.Silo.Memory;

/// <summary>The embedded default's grain storage, as the silo registers it for grain state and stream subscriptions.</summary>
public sealed class InMemoryGrainStorageTests(SiloApp silo) : GrainStorageContract, IClassFixture<SiloApp>
{
    protected override IGrainStorage Storage { get; } = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    [Fact]
    public void Stream_subscriptions_are_kept_by_the_same_storage()
    {
        var subscriptions = silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);

        Assert.IsType<InMemoryGrainStorage>(Storage);
        Assert.IsType<InMemoryGrainStorage>(subscriptions);
    }
}
