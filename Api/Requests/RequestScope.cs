using Microsoft.AspNetCore.Http;

namespace OmniBridge.Api.Requests;

/// <summary>What a request is about, gathered while it is handled and echoed in the response metadata.</summary>
public static class RequestScope
{
    const string NamespaceKey = "omnibridge.namespace";

    /// <summary>Records the namespace the request acts in.</summary>
    public static void SetNamespace(this HttpContext http, string namespaceName) => http.Items[NamespaceKey] = namespaceName;

    public static string? Namespace(this HttpContext http) => http.Items[NamespaceKey] as string;

    public static string? Operation(this HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ApiOperation>()?.Name;
}
