namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Stops waiting for a statement the moment a token fires, and cancels the statement on a thread of
/// its own. Npgsql cancels a running statement inside the token's callback, synchronously: it opens
/// a second connection to the server and sends a cancel request there. On a server that hangs
/// (docs/architecture.md, "A stamp request's path") that blocks the thread that fired the token for up to the
/// connect timeout, and a timer's callback runs on a thread-pool thread: a handful of timed-out
/// statements starve the silo's two-core pool, and every request, the in-memory ones too, waits
/// for the pool to grow. (Measured: eight stamps sent at once to a frozen database got their 503
/// after 5.9 s instead of 4.)
/// </summary>
public static class StatementCancellation
{
    /// <summary>
    /// Runs <paramref name="statement"/> with a token of its own; when <paramref name="cancellationToken"/>
    /// fires first, throws <see cref="OperationCanceledException"/> at once and cancels the statement aside.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        var own = new CancellationTokenSource();
        var work = statement(own.Token);
        try
        {
            return await work.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CancelAside(own, work);
            own = null;
            throw;
        }
        finally
        {
            own?.Dispose();
        }
    }

    /// <summary>
    /// Cancels on a new background thread (only statements that outlived their deadline get one, at
    /// most one per pooled connection), and disposes the source once the statement has ended.
    /// </summary>
    static void CancelAside(CancellationTokenSource source, Task work) =>
        new Thread(() =>
        {
            try
            {
                source.Cancel();
            }
            catch (AggregateException)
            {
                // A callback that throws: the statement still ends when its connection breaks.
            }
            work.ContinueWith(ended => { _ = ended.Exception; source.Dispose(); }, TaskScheduler.Default);
        })
        {
            IsBackground = true,
            Name = "postgres statement cancel",
        }.Start();
}
