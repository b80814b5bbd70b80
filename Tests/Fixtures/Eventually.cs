namespace OmniBridge.Tests.Fixtures;

/// <summary>Polls a condition until it holds or a deadline passes: the way to wait for something asynchronous without sleeping blind.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
