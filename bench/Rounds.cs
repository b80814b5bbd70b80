namespace OmniBridge.Bench;

/// <summary>What a benchmark reports of its interleaved rounds: the one in the middle.</summary>
public static class Rounds
{
    /// <summary>The middle value (of an even count, the upper of the two in the middle).</summary>
    public static double Median(IEnumerable<double> values) => Median(values, v => v);

    /// <summary>The result in the middle by <paramref name="by"/>.</summary>
    public static T Median<T>(IEnumerable<T> results, Func<T, double> by)
    {
        var ordered = results.OrderBy(by).ToList();
        return ordered[ordered.Count / 2];
    }
}
