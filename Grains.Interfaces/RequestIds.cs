namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// The id of the API request a grain call serves travels in Orleans' request context, so the
/// events the call writes carry it as their correlation id.
/// </summary>
public static class RequestIds
{
    public const string ContextKey = "omnibridge.request_id";

    /// <summary>Sets the id for the calls this request makes (the context flows with the async calls that follow).</summary>
    public static void Set(string requestId) => RequestContext.Set(ContextKey, requestId);

    /// <summary>The id of the request the current call serves, or null outside one.</summary>
    public static string? Current => RequestContext.Get(ContextKey) as string;
}
