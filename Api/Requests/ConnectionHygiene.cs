using Microsoft.AspNetCore.Http.Features;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Refusing a request before reading its body (401, 405, 413, 415...) leaves the body on the wire.
/// Kestrel drains it afterwards when it may (within the request's body limit); when it may not, it
/// closes the connection. Then the response must say <c>Connection: close</c>, or a client sends its
/// next request into a socket that is going away.
/// </summary>
public sealed class ConnectionHygiene(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            if (http.Response.StatusCode >= 400 && Undrainable(http)) http.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        }, http);
        return next(http);
    }

    static bool Undrainable(HttpContext http)
    {
        if (http.Request.ContentLength is not { } length)
            return http.Request.Headers.TransferEncoding.Count > 0;   // chunked: unknown size
        return http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit && length > limit;
    }
}
