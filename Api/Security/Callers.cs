using OmniBridge.Api.Errors;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Security;

/// <summary>The key a request came with, once authenticated, and the namespace checks made with it.</summary>
public static class Callers
{
    const string CallerKey = "omnibridge.caller";

    public static void SetCaller(this HttpContext http, ApiKey key) => http.Items[CallerKey] = key;

    /// <summary>The caller's key; null when the service runs open.</summary>
    public static ApiKey? Caller(this HttpContext http) => http.Items[CallerKey] as ApiKey;

    /// <summary>Refuses with 403 when the caller's key may not act in <paramref name="namespaceName"/>.</summary>
    public static void AuthorizeNamespace(this HttpContext http, string namespaceName, string? field)
    {
        if (http.Caller() is { } key && !key.Allows(namespaceName))
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, field, $"the API key '{key.Name}' may not act in namespace {namespaceName}");
    }
}
