namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// What one partition's receiver has read and what every consumer has processed, and so which
/// offset may be committed: the lowest offset still in flight, or the one after the last read when
/// nothing is. A committed offset never passes an event some consumer has not had.
/// </summary>
/// <remarks>
/// The cache hands back what it purges oldest first, leaving out events whose delivery failed.
/// So an event still in flight below the newest purged one will never come back: it failed,
/// and the caller dead-letters it before it is <see cref="Settle"/>d.
/// </remarks>
internal sealed class PartitionProgress<T>
{
    readonly SortedDictionary<long, T> inFlight = [];
    long next = -1;

    /// <summary>Events read but not yet processed by every consumer.</summary>
    public int InFlight => inFlight.Count;

    /// <summary>An event was read and handed to the consumers.</summary>
    public void Read(long offset, T message)
    {
        inFlight[offset] = message;
        Passed(offset);
    }

    /// <summary>An event was read and needs no consumer (it was dead-lettered straight away).</summary>
    public void Passed(long offset) => next = Math.Max(next, offset + 1);

    /// <summary>
    /// The consumers are done with <paramref name="offsets"/>; returns the events below them that
    /// were never delivered (their delivery failed), which stay in flight until settled.
    /// </summary>
    public IReadOnlyList<(long Offset, T Message)> Delivered(IEnumerable<long> offsets)
    {
        var newest = -1L;
        foreach (var offset in offsets)
        {
            inFlight.Remove(offset);
            newest = Math.Max(newest, offset);
        }
        return [.. inFlight.TakeWhile(e => e.Key < newest).Select(e => (e.Key, e.Value))];
    }

    /// <summary>A failed event was dealt with (dead-lettered).</summary>
    public void Settle(long offset) => inFlight.Remove(offset);

    /// <summary>The offset after the last one read, or null before anything was read.</summary>
    public long? Next => next >= 0 ? next : null;

    /// <summary>The offset to commit (the next to read after a restart), or null before anything was read.</summary>
    public long? Committable => inFlight.Count > 0 ? inFlight.First().Key : next >= 0 ? next : null;
}
