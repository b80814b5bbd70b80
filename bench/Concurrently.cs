using System.Diagnostics;

namespace OmniBridge.Bench;

/// <summary>Work shared by callers running at once: each takes the next item until none is left.</summary>
public static class Concurrently
{
    /// <summary>Runs <paramref name="work"/> on every item from <paramref name="callers"/> callers at once; how long it took.</summary>
    public static async Task<TimeSpan> EachAsync<T>(IReadOnlyList<T> items, int callers, Func<T, Task> work)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next)) await work(items[i]);
        })));
        return Stopwatch.GetElapsedTime(started);
    }
}
