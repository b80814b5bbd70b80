using System.Diagnostics;
using OmniBridge.Api.Requests;

namespace OmniBridge.Api.Metrics;

/// <summary>Times every API operation, refused requests included, with the status it answered.</summary>
public sealed class OperationTimingMiddleware(RequestDelegate next, ServiceMetrics metrics)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Operation() is not { } operation)
        {
            await next(http);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            metrics.Request(operation, Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.Response.StatusCode);
        }
    }
}
