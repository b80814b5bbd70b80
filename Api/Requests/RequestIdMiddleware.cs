using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Requests;

/// <summary>
/// Gives every request an id: the caller's X-Request-ID when it is a sane token, else a new one.
/// It is echoed in the X-Request-ID header and in every response's metadata.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> log)
{
    public const string Header = "X-Request-ID";

    public async Task InvokeAsync(HttpContext http)
    {
        var given = http.Request.Headers[Header].ToString();
        http.TraceIdentifier = IsSane(given) ? given : Guid.NewGuid().ToString("D");
        http.Response.Headers[Header] = http.TraceIdentifier;
        // The grain calls this request makes carry its id, so their events name it as their correlation id.
        RequestIds.Set(http.TraceIdentifier);
        // Every log line written for this request carries its id.
        using (log.BeginScope(new Dictionary<string, object> { ["request_id"] = http.TraceIdentifier }))
        {
            await next(http);
        }
    }

    static bool IsSane(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
