using Orleans.Concurrency;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// Keeps a cluster's run signals in memory between their publication and their reader's next read, and answers a read
/// when a signal comes rather than when the reader asks again: Orleans' memory-stream queue grain answers at once, empty
/// or not, so its reader asked 500 times a second to keep signals quick, and an idle silo spent a tenth of a core on
/// asking (bench/README.md, "An idle silo's CPU, and the thread pool's spinning"). Reentrant, so that a publication is
/// taken while a read waits. In memory like Orleans' own: live delivery only; the run's signal log in PostgreSQL is what
/// a subscriber reads to catch up (docs/runs.md, "Signals").
/// </summary>
[Reentrant]
public sealed class SignalQueueGrain(ILogger<SignalQueueGrain> logger) : Grain, ISignalQueueGrain
{
    readonly ParkedBuffer<QueuedSignals> queued = new(SignalQueues.Capacity);

    public Task EnqueueAsync(QueuedSignals signals)
    {
        if (!queued.Enqueue(signals))
            SignalQueues.ReportDropped(logger, this.GetPrimaryKeyString(), queued.Dropped);
        return Task.CompletedTask;
    }

    public Task<List<QueuedSignals>> ReadAsync(int maxCount, TimeSpan park, CancellationToken cancellation) =>
        queued.ReadAsync(maxCount, park, cancellation);
}
