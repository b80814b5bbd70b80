namespace OmniBridge.Silo.Memory;

/// <summary>
/// A first-in first-out buffer whose reader waits for the next item instead of asking again and again: a read with nothing queued parks
/// until something is queued, the park passes, or the read is cancelled, then takes what is there. Bounded: when full,
/// the oldest item makes room for the newest (a live feed whose consumer fell that far behind has lost it anyway).
/// Safe to use from any thread. The run-signal queues of both forms keep their signals in one
/// (<see cref="InMemorySignalAdapter"/> in the silo, <see cref="SignalQueueGrain"/> in a cluster).
/// </summary>
public sealed class ParkedBuffer<T>(int capacity)
{
    readonly Queue<T> items = new();
    readonly Lock gate = new();
    TaskCompletionSource published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many items were dropped to make room since the queue was made.</summary>
    public long Dropped { get; private set; }

    /// <summary>How many items wait to be read.</summary>
    public int Count
    {
        get { lock (gate) return items.Count; }
    }

    /// <summary>Queues the item and wakes a parked read; false when the oldest item was dropped to make room.</summary>
    public bool Enqueue(T item)
    {
        bool kept;
        TaskCompletionSource wake;
        lock (gate)
        {
            kept = items.Count < capacity;
            if (!kept)
            {
                items.Dequeue();
                Dropped++;
            }
            items.Enqueue(item);
            wake = NextPublication();
        }
        wake.TrySetResult();
        return kept;
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> items (every item when it is negative) in the order they were queued; when none
    /// is, what is queued while the read is parked, or nothing once <paramref name="park"/> passes. A read cancelled
    /// (before or while it waits) takes nothing: what is queued stays for the next read, since a cancelled reader may no
    /// longer be there to take it.
    /// </summary>
    public async Task<List<T>> ReadAsync(int maxCount, TimeSpan park, CancellationToken cancellation = default)
    {
        Task next;
        lock (gate)
        {
            if (cancellation.IsCancellationRequested) return [];
            if (items.Count > 0) return Take(maxCount);
            next = published.Task;
        }
        // Ended by a publication, the park or the cancellation, whichever comes first; the park's timer goes with it.
        // The continuation may run on any thread (no captured context): only the locked state below is touched.
        await next.WaitAsync(park, cancellation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (gate) return cancellation.IsCancellationRequested ? [] : Take(maxCount);
    }

    /// <summary>Ends every parked read at once (they take what is queued, if anything).</summary>
    public void WakeReaders()
    {
        TaskCompletionSource wake;
        lock (gate) wake = NextPublication();
        wake.TrySetResult();
    }

    /// <summary>The signal parked reads wait on, replaced by a new one for the reads after them; called under the lock.</summary>
    TaskCompletionSource NextPublication()
    {
        var current = published;
        published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return current;
    }

    List<T> Take(int maxCount)
    {
        var taken = new List<T>(maxCount < 0 ? items.Count : Math.Min(maxCount, items.Count));
        while (items.Count > 0 && (maxCount < 0 || taken.Count < maxCount)) taken.Add(items.Dequeue());
        return taken;
    }
}
