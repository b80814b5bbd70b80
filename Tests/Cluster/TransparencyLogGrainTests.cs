using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster;

/// <summary>A silo whose logs take in two records per transaction, so that every integration spans several.</summary>
public sealed class SmallBatchLogSilo : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["LOG_INTEGRATE_MS"] = "60000" };

    protected override void ConfigureServices(IServiceCollection services) => services.PostConfigure<TransparencyOptions>(o => o.BatchSize = 2);
}

/// <summary>The log grain through its interface, as a grain client sees it (docs/transparency.md, "Integration").</summary>
public sealed class TransparencyLogGrainTests(SmallBatchLogSilo service) : IClassFixture<SmallBatchLogSilo>
{
    [Fact]
    public async Task Integrating_now_takes_in_every_waiting_record_over_several_batches_and_returns_when_none_is_left()
    {
        var ns = "log.grain.t" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 5; i++) await service.Http.StampAsync($"batch of two {i}", ns);
        var log = service.Grains.GetGrain<ITransparencyLogGrain>(ns);

        Assert.Equal(5, await log.IntegrateNowAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        // Nothing waits now: the call returns at once with the same size.
        Assert.Equal(5, await log.IntegrateNowAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        var note = Transparency.SignedNote.Parse(await log.CheckpointAsync());
        Assert.Equal(5, note.Size);
    }
}
