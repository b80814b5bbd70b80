using OmniBridge.Api.Errors;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Grain calls the API may send twice: every one it makes is idempotent (a stamp is keyed by its
/// content, a workflow by its id, the rest only read). When a silo goes away under a call (the
/// call fails, or goes unanswered until the response timeout), it is sent again (another silo
/// takes over) before the caller sees a 503.
/// </summary>
public static class ClusterCalls
{
    static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < Pauses.Length && (ClusterOutages.IsTransient(e) || e is TimeoutException))
            {
                await Task.Delay(Pauses[attempt], cancellationToken);
            }
        }
    }
}
