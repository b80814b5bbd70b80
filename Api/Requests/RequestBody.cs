using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OmniBridge.Api.Errors;

namespace OmniBridge.Api.Requests;

/// <summary>Body size limits, applied before a byte is read (SPEC §4: MAX_CONTENT_BYTES, MAX_HASH_STREAM_BYTES).</summary>
public static class RequestBody
{
    /// <summary>
    /// Refuses a declared length over <paramref name="limit"/> at once, and has the server stop a
    /// longer chunked body at the limit (it throws a 413 that the error middleware maps).
    /// </summary>
    public static void Limit(HttpContext http, long limit, string setting)
    {
        if (http.Request.ContentLength > limit) throw ApiException.PayloadTooLarge(limit, setting);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        http.Items[LimitKey] = (limit, setting);
    }

    /// <summary>The limit applied to this request, for the 413 message.</summary>
    public static (long Limit, string Setting)? Applied(HttpContext http) => http.Items[LimitKey] as (long, string)?;

    const string LimitKey = "omnibridge.body-limit";
}
