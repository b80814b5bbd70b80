using OmniBridge.Api.Security;

namespace OmniBridge.Api.Requests;

/// <summary>What a request is about, gathered while it is handled and echoed in the response metadata.</summary>
public static class RequestScope
{
    const string NamespaceKey = "omnibridge.namespace";

    /// <summary>Records the namespace the request acts in, refusing with 403 when the caller's key may not act there.</summary>
    public static void SetNamespace(this HttpContext http, string namespaceName, string? field = "namespace")
    {
        http.AuthorizeNamespace(namespaceName, field);
        http.Items[NamespaceKey] = namespaceName;
    }

    /// <summary>Records the namespace for the response's metadata only: the endpoint acts in none (docs/protocol.md, "Security": /hash, /validate-protocol).</summary>
    public static void NoteNamespace(this HttpContext http, string namespaceName) => http.Items[NamespaceKey] = namespaceName;

    public static string? Namespace(this HttpContext http) => http.Items[NamespaceKey] as string;

    public static string? Operation(this HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ApiOperation>()?.Name;
}
