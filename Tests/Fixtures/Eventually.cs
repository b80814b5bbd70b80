using System.Diagnostics;

namespace OmniBridge.Tests.Fixtures;

/// <summary>Polls a condition until it holds or a deadline passes: the way to wait for something asynchronous without sleeping blind.</summary>
public static class Eventually
{
    /// <summary>
    /// Thirty seconds by default: generous on purpose, since a loaded two-core machine running the
    /// suite in parallel can take many times longer than an idle one. A condition that holds
    /// returns at once, so the bound costs nothing when things work.
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        // A monotonic clock: a step of the wall clock moves no deadline.
        var waited = Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await condition()) return;
            if (waited.Elapsed > limit) throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
