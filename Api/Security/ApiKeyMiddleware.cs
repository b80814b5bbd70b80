using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Security;

/// <summary>
/// With keys configured, every request but the probes needs a known key (401 otherwise), with the
/// scope its endpoint asks for (403 otherwise). Namespaces are checked by the endpoints, once they
/// know which namespaces a request names. Runs after routing, inside the error mapping.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRing keys)
{
    public const string KeyHeader = "X-API-Key";

    public Task InvokeAsync(HttpContext http)
    {
        if (!keys.Enabled) return next(http);
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<OpenToAll>() is not null) return next(http);

        var presented = Presented(http, endpoint?.Metadata.GetMetadata<BrowserPage>() is not null) ?? throw new ApiException(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, null,
            $"an API key is required: Authorization: Bearer <key> or {KeyHeader}: <key>");
        var key = keys.Find(presented) ?? throw new ApiException(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, null, "the API key is not known");
        http.SetCaller(key);
        var scope = endpoint?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? ApiScope.Read;
        if (!key.Has(scope))
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, null, $"the API key '{key.Name}' lacks the {scope.Wire()} scope");
        return next(http);
    }

    /// <summary>The key presented as a bearer token, in X-API-Key or, on a browser page, as the password of HTTP Basic.</summary>
    static string? Presented(HttpContext http, bool basicAllowed)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer) return bearer;
        if (basicAllowed && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicPassword(authorization[6..].Trim()) is { Length: > 0 } password)
            return password;
        return http.Request.Headers[KeyHeader].ToString() is { Length: > 0 } header ? header.Trim() : null;
    }

    /// <summary>The password of <c>base64(user:password)</c>; null when it is not that.</summary>
    static string? BasicPassword(string credentials)
    {
        Span<byte> decoded = stackalloc byte[Math.Min(credentials.Length, 4096)];
        if (!Convert.TryFromBase64String(credentials, decoded, out var length)) return null;
        var text = System.Text.Encoding.UTF8.GetString(decoded[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? text[(colon + 1)..] : null;
    }
}
