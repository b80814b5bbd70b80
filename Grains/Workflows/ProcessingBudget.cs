using System.Diagnostics;

namespace OmniBridge.Grains.Workflows;

/// <summary>A workflow's processing time so far (earlier activations included) against its timeout.</summary>
public sealed class ProcessingBudget(TimeSpan limit, double spentBeforeMs)
{
    readonly long started = Stopwatch.GetTimestamp();

    public TimeSpan Limit => limit;

    public double Spent => spentBeforeMs + Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public TimeSpan Remaining => limit - TimeSpan.FromMilliseconds(Spent);
}
