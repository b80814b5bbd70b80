namespace OmniBridge.Grains.Reducers;

/// <summary>How often a namespace reducer folds, and how it catches what no event brought.</summary>
public sealed class ReducerOptions
{
    /// <summary>Events gathered are folded and saved this often (docs/architecture.md, "Reducers": at least every second).</summary>
    public TimeSpan FoldEvery { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the reducer also folds stamps that are in the store's backlog without having come
    /// as events (published while a silo was down, lost with a full queue); the first sweep is at
    /// activation. <see cref="Timeout.InfiniteTimeSpan"/> turns sweeping off (tests of the streams do).
    /// </summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most stamps folded in one transaction.</summary>
    public int FoldAtOnce { get; set; } = 20_000;

    /// <summary>
    /// Most event ids held waiting (say, while the database is down). Beyond this, events are
    /// dropped: their stamps stay in the backlog and the next sweep folds them.
    /// </summary>
    public int MaxPending { get; set; } = 200_000;
}
