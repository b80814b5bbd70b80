namespace OmniBridge.Silo.Memory;

/// <summary>What the two forms of the run-signal queue share (docs/runs.md, "Signals").</summary>
public static class SignalQueues
{
    /// <summary>How long a read waits for a publication by default before it answers empty (the agent reads again on its next tick).</summary>
    public static readonly TimeSpan DefaultPark = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How many publications a queue holds for its reader; past it the oldest goes. A run's publication is one turn's
    /// signals, and a reader takes everything queued on each read, so only a queue nobody reads comes near it.
    /// </summary>
    public const int Capacity = 16_384;
}
