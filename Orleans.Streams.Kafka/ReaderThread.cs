using System.Collections.Concurrent;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// A receiver's own thread for its consumer's blocking calls: a read waits up to the poll timeout for a first message,
/// and opening and committing wait on the broker. Run through the thread pool, each idle partition held a pool thread
/// about half of the time, on silos whose pool starts with one thread per core. Calls run one at a time, in the order
/// they were made, as the consumer wants them.
/// </summary>
sealed class ReaderThread : IDisposable
{
    readonly BlockingCollection<Action> calls = [];

    public ReaderThread(string name)
    {
        Thread = new Thread(Serve) { IsBackground = true, Name = name };
        Thread.Start();
    }

    /// <summary>The thread the calls run on.</summary>
    public Thread Thread { get; }

    /// <summary>Runs <paramref name="call"/> on the thread; its result or exception completes the task, off the thread.</summary>
    public Task<T> RunAsync<T>(Func<T> call)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!calls.TryAdd(() => Answer(answer, call))) answer.SetException(new ObjectDisposedException(Thread.Name, "the receiver has shut down"));
        return answer.Task;
    }

    public Task RunAsync(Action call) => RunAsync(() =>
    {
        call();
        return true;
    });

    static void Answer<T>(TaskCompletionSource<T> answer, Func<T> call)
    {
        T result;
        try
        {
            result = call();
        }
        catch (Exception e)
        {
            answer.SetException(e);
            return;
        }
        answer.SetResult(result);
    }

    void Serve()
    {
        foreach (var call in calls.GetConsumingEnumerable()) call();
        calls.Dispose();
    }

    /// <summary>Ends the thread once the calls already made have run.</summary>
    public void Dispose() => calls.CompleteAdding();
}
