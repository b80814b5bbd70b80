using System.Diagnostics;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>Polls a condition until it holds or a deadline passes: the way to wait for something asynchronous without sleeping blind.</summary>
public static class Eventually
{
    /// <summary>Thirty seconds by default, generous for a loaded two-core machine; a condition that holds returns at once.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var waited = Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await condition()) return;
            if (waited.Elapsed > limit) throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, within);
}
