using System.Threading.Channels;

namespace OmniBridge.Grains.Concurrency;

/// <summary>
/// Reads by key asked for by concurrent callers, made together (see <see cref="Gathering"/>): the
/// keys waiting when a reader is free go to the store in one query, and each caller gets its own
/// answer, or the query's failure. A caller alone is read at once, as if alone. Every read starts
/// after all the calls it answers were made, so each caller sees what was committed before its call.
/// </summary>
public sealed class GatheredReads<TKey, TValue> : IDisposable
    where TKey : notnull
    where TValue : class
{
    readonly Channel<Pending> pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> read;

    /// <param name="readers">Queries in flight at once: while some run, the next group gathers.</param>
    /// <param name="limit">Calls one query answers at most.</param>
    /// <param name="read">Reads the distinct keys of a group; a key it does not return has no value.</param>
    public GatheredReads(int readers, int limit, Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> read)
    {
        this.read = read;
        Gathering.Start(pending.Reader, readers, limit, _ => 1, ReadAsync);
    }

    /// <summary>The value of <paramref name="key"/>, or null when the store has none.</summary>
    public Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken = default)
    {
        var call = new Pending(key);
        // After disposal nothing gathers any more: the key is read on its own.
        return pending.Writer.TryWrite(call) ? call.Answer.Task.WaitAsync(cancellationToken) : ReadAloneAsync(key, cancellationToken);
    }

    async Task<TValue?> ReadAloneAsync(TKey key, CancellationToken cancellationToken) =>
        (await read([key], cancellationToken)).GetValueOrDefault(key);

    async Task ReadAsync(List<Pending> group)
    {
        try
        {
            var found = await read([.. group.Select(p => p.Key).Distinct()], CancellationToken.None);
            foreach (var call in group) call.Answer.TrySetResult(found.GetValueOrDefault(call.Key));
        }
        catch (Exception e)
        {
            foreach (var call in group) call.Answer.TrySetException(e);
        }
    }

    /// <summary>Stops gathering; reads already gathered finish.</summary>
    public void Dispose() => pending.Writer.TryComplete();

    sealed class Pending(TKey key)
    {
        public TKey Key => key;
        public TaskCompletionSource<TValue?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
