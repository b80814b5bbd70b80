using System.Threading.Channels;

namespace OmniBridge.Grains.Concurrency;

/// <summary>
/// Work handed over by concurrent calls, taken in groups: whatever is waiting when a worker is
/// free, without waiting for more. Behind group commit and the stamp-created feed.
/// </summary>
public static class Gathering
{
    /// <summary>
    /// Starts <paramref name="workers"/> loops, each taking from <paramref name="reader"/> what is
    /// waiting (until <paramref name="size"/> of the items taken reaches <paramref name="limit"/>)
    /// and handing it to <paramref name="handle"/>; each ends when the channel is completed and
    /// empty. The loops do not carry the starting call's execution context (its request, its trace).
    /// </summary>
    public static Task[] Start<T>(ChannelReader<T> reader, int workers, int limit, Func<T, int> size, Func<List<T>, Task> handle)
    {
        using (ExecutionContext.SuppressFlow())
            return [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(reader, limit, size, handle)))];
    }

    static async Task RunAsync<T>(ChannelReader<T> reader, int limit, Func<T, int> size, Func<List<T>, Task> handle)
    {
        while (await reader.WaitToReadAsync())
        {
            var group = new List<T>();
            for (var taken = 0; taken < limit && reader.TryRead(out var next); taken += size(next)) group.Add(next);
            if (group.Count > 0) await handle(group);
        }
    }
}
