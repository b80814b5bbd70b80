using Microsoft.AspNetCore.Http.Features;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Refusing a request before reading its body (401, 405, 413, 415...) leaves the body on the wire.
/// Kestrel drains it after the answer when it may (within the request's body limit); when it may
/// not, it closes the connection with bytes unread, which resets it: a client still sending then sees
/// the reset instead of its answer. So a refused body of a known length at most
/// <see cref="RequestBody.DiscardAtMost"/> past the limit is allowed to be drained (read and dropped)
/// after the answer; any other undrainable body gets <c>Connection: close</c>, so that a client does
/// not send its next request into a socket that is going away.
/// </summary>
public sealed class ConnectionHygiene(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (http.Response.StatusCode >= 400 && !Drainable(http)) http.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        }, http);
        return next(http);
    }

    static bool Drainable(HttpContext http)
    {
        if (http.Request.ContentLength is not { } length)
            return http.Request.Headers.TransferEncoding.Count == 0;   // chunked: unknown size
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit?.MaxRequestBodySize is not { } max || length <= max) return true;
        // Unread so far (the limit can still change): drain it after the answer, as for a 413.
        if (limit.IsReadOnly || length - max > RequestBody.DiscardAtMost) return false;
        limit.MaxRequestBodySize = length;
        return true;
    }
}
