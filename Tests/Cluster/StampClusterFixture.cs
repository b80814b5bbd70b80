using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Api.Configuration;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Hosting;
using OmniBridge.Silo.Memory;
using Orleans.TestingHost;

namespace OmniBridge.Tests.Cluster;

/// <summary>
/// Two silos on Orleans' in-process test host, wired as the silo wires itself, sharing one stamp
/// store so that calls landing on either silo meet the same records.
/// </summary>
public sealed class StampClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public InMemoryStampStore Store { get; } = new();
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOmniBridgeMemoryStorage().AddOmniBridgeStreams().AddOmniBridgeGrains(new ApiSettings());
            silo.Services.AddSingleton<IStampStore>(Store);
            silo.Services.AddSingleton<INamespaceLedger>(Store);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
