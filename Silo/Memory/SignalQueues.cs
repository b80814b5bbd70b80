namespace OmniBridge.Silo.Memory;

/// <summary>What the two forms of the run-signal queue share (docs/runs.md, "Signals").</summary>
public static partial class SignalQueues
{
    /// <summary>How long a read waits for a publication by default before it answers empty (the agent reads again on its next tick).</summary>
    public static readonly TimeSpan DefaultPark = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How many publications a queue holds for its reader; past it the oldest goes. A run's publication is one turn's
    /// signals, and a reader takes everything queued on each read, so only a queue nobody reads comes near it.
    /// </summary>
    public const int Capacity = 16_384;

    /// <summary>
    /// Warns that a queue dropped its oldest publication to make room, once at each power of two dropped: a queue nobody
    /// reads drops one for every publication, and a warning each would bury the log.
    /// </summary>
    public static void ReportDropped(ILogger logger, string queue, long dropped)
    {
        if ((dropped & (dropped - 1)) == 0) LogDropped(logger, queue, Capacity, dropped);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run-signal queue {Queue} is full ({Capacity} publications unread): its oldest publications are being dropped ({Dropped} so far)")]
    static partial void LogDropped(ILogger logger, string queue, int capacity, long dropped);
}
