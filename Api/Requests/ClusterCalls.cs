using System.Diagnostics;
using OmniBridge.Api.Errors;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Grain calls the API may send twice, sent again until they get through. Every call the API
/// makes to the cluster is idempotent: a stamp is keyed by its content, a batch by its items'
/// contents, a workflow and a codegen session by the id the API gives them before the first
/// attempt, and the rest only read. (A call that is not idempotent must not go through here.)
/// </summary>
/// <remarks>
/// When a silo dies, calls to grains it held, or placed by a directory partition it owned, fail
/// (or go unanswered until the client's response timeout) until the cluster declares it dead;
/// then its grains live elsewhere. The declaration takes three missed probes five seconds apart
/// and a vote in the membership table: about 13 s on a quiet machine, and 20 s was measured with
/// the test suite busy on two cores. So a call that fails for a reason that says "a silo is away"
/// is sent again, with pauses from 50 ms growing to 1 s, for up to <see cref="Budget"/> from the
/// first attempt: twice the nominal declaration, so a caller sees a slower answer, not a failure.
/// Past the budget (the whole cluster is away) the caller gets 503 DEPENDENCY_UNAVAILABLE with
/// Retry-After.
/// </remarks>
public static class ClusterCalls
{
    /// <summary>How long a call keeps being sent again.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when ((ClusterOutages.IsTransient(e) || e is TimeoutException) && Stopwatch.GetElapsedTime(started) + pause < Budget)
            {
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }
}
