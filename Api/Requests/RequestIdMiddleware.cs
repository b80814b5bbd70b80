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
        http.TraceIdentifier = IsSane(given) ? given : NewId();
        http.Response.Headers[Header] = http.TraceIdentifier;
        // The grain calls this request makes carry its id, so their events name it as their correlation id.
        RequestIds.Set(http.TraceIdentifier);
        // Every log line written for this request carries its id.
        using (log.BeginScope(new Dictionary<string, object> { ["request_id"] = http.TraceIdentifier }))
        {
            await next(http);
        }
    }

    /// <summary>
    /// A new version 4 UUID whose random bits come from the thread's fast generator. A request id
    /// must be unique, not unguessable; <see cref="Guid.NewGuid"/> asks the kernel for its bytes on
    /// every call, a system call that was 2.4% of a silo's CPU under /hash (bench/README.md, "Where an
    /// embedded /stamp's time goes").
    /// </summary>
    internal static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);   // version 4 (the high nibble of the third group)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);   // the RFC 9562 variant
        return new Guid(bytes).ToString("D");
    }

    static bool IsSane(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
