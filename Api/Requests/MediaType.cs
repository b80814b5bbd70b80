using Microsoft.Net.Http.Headers;
using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Requests;

/// <summary>Which bodies an endpoint accepts (docs/protocol.md, "The REST API"): JSON is <c>application/json</c> or <c>application/*+json</c> in UTF-8.</summary>
public static class MediaType
{
    public enum BodyKind { Json, OctetStream, Multipart }

    /// <summary>Requires a JSON body; anything else is 415.</summary>
    public static void RequireJson(HttpRequest request)
    {
        if (Classify(request.ContentType, allowMissingAsOctetStream: false) != BodyKind.Json) throw Unsupported(request.ContentType, "application/json");
    }

    /// <summary>Whether the body is declared <c>application/octet-stream</c> (a missing Content-Type is not).</summary>
    public static bool IsOctetStream(HttpRequest request) =>
        !string.IsNullOrWhiteSpace(request.ContentType) && Classify(request.ContentType, allowMissingAsOctetStream: false) == BodyKind.OctetStream;

    /// <summary>What kind of body /hash was sent: JSON, octet-stream (also when Content-Type is missing) or multipart.</summary>
    public static BodyKind ForHash(HttpRequest request) =>
        Classify(request.ContentType, allowMissingAsOctetStream: true)
        ?? throw Unsupported(request.ContentType, "application/octet-stream, multipart/form-data or application/json");

    static BodyKind? Classify(string? contentType, bool allowMissingAsOctetStream)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return allowMissingAsOctetStream ? BodyKind.OctetStream : null;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } type) return null;

        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            var charset = HeaderUtilities.RemoveQuotes(parsed.Charset).Value;
            return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
                ? BodyKind.Json
                : null;
        }
        if (type.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)) return BodyKind.OctetStream;
        if (type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)) return BodyKind.Multipart;
        return null;
    }

    static ApiException Unsupported(string? contentType, string expected) =>
        new(415, ErrorCodes.UnsupportedMediaType, null,
            string.IsNullOrWhiteSpace(contentType)
                ? $"a Content-Type header is required: {expected}"
                : $"Content-Type '{Printable(contentType)}' is not supported here: {expected}");

    static string Printable(string s) => new([.. s.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
}
