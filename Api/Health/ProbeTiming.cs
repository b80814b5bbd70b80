using System.Diagnostics;

namespace OmniBridge.Api.Health;

/// <summary>Runs one health check under a deadline and reports its state and how long it took.</summary>
public static class ProbeTiming
{
    /// <param name="check">Returns null when healthy, else why not; throwing counts as unreachable.</param>
    /// <param name="isFailure">Which exceptions mean "unhealthy" rather than a bug in the probe.</param>
    public static async Task<ProbeResult> MeasureAsync(Func<CancellationToken, Task<string?>> check, TimeSpan timeout,
        Func<Exception, bool> isFailure, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        double Elapsed() => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await check(deadline.Token).WaitAsync(deadline.Token) is { } problem
                ? new ProbeResult(ProbeResult.Unhealthy, Elapsed(), problem)
                : new ProbeResult(ProbeResult.Healthy, Elapsed());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeResult.Unhealthy, Elapsed(), $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (isFailure(e))
        {
            return new ProbeResult(ProbeResult.Unhealthy, Elapsed(), "unreachable");
        }
    }
}
