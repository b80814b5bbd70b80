using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Tests.Cluster;

/// <summary>Publishes stamp-created events again, as a redelivering stream or a resumed publisher would.</summary>
public interface IEventReplayGrain : IGrainWithIntegerKey
{
    Task ReplayAsync(IReadOnlyList<StampRecord> records);
}

public sealed class EventReplayGrain : Grain, IEventReplayGrain
{
    public Task ReplayAsync(IReadOnlyList<StampRecord> records) =>
        StampEvents.PublishCreatedAsync(this.GetStreamProvider(StampStreams.Provider), records);
}
