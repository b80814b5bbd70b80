using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Bench;

/// <summary>Publishes stamp-created events for records the benchmark stored itself.</summary>
public interface IBenchPublisherGrain : IGrainWithIntegerKey
{
    Task PublishAsync(StampRecord[] records);
}

public sealed class BenchPublisherGrain : Grain, IBenchPublisherGrain
{
    public Task PublishAsync(StampRecord[] records) => StampEvents.PublishCreatedAsync(this.GetStreamProvider(StampStreams.Provider), records);
}
