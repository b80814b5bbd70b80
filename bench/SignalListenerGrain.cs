using OmniBridge.Grains.Interfaces.Codegen.Runs;
using Orleans.Streams;

namespace OmniBridge.Bench;

/// <summary>A grain in the silo that subscribes to a run's signals, as a grain of a user's would, and keeps how long each took to arrive.</summary>
public interface ISignalListenerGrain : IGrainWithGuidKey
{
    /// <summary>Subscribes to the signals of the run of the same id.</summary>
    Task ListenAsync();

    /// <summary>The milliseconds from each signal's creation to its arrival here, and whether the run's last stage has ended; unsubscribes when it has.</summary>
    Task<(double[] Lags, bool Packaged)> LagsAsync();
}

public sealed class SignalListenerGrain : Grain, ISignalListenerGrain
{
    readonly List<double> lags = [];
    StreamSubscriptionHandle<RunSignal>? subscription;
    bool packaged;

    public async Task ListenAsync() =>
        subscription = await this.GetStreamProvider(RunSignals.Provider).GetStream<RunSignal>(StreamId.Create(RunSignals.Namespace, this.GetPrimaryKey())).SubscribeAsync((signal, _) =>
        {
            lags.Add((DateTime.UtcNow - signal.At).TotalMilliseconds);
            packaged |= signal.SignalType == RunSignals.StageCompleted && signal.Data.Contains("\"package_node\"", StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    public async Task<(double[] Lags, bool Packaged)> LagsAsync()
    {
        if (packaged && subscription is not null)
        {
            await subscription.UnsubscribeAsync();
            subscription = null;
            DeactivateOnIdle();
        }
        return ([.. lags], packaged);
    }
}
