namespace OmniBridge.Api.Security;

/// <summary>What a key may do (docs/protocol.md, "Security"). Admin includes read and write.</summary>
public enum ApiScope
{
    Read,
    Write,
    Admin,
}

/// <summary>Endpoint metadata: the scope a caller's key needs for this endpoint (read when absent).</summary>
public sealed record class RequiredScope(ApiScope Scope);

/// <summary>Endpoint metadata: no key needed (the orchestrator's probes).</summary>
public sealed record class OpenToAll;

/// <summary>
/// Endpoint metadata: a page a browser opens (the dashboard, the API documentation). A browser
/// cannot send a bearer header, so HTTP Basic is accepted as well: any user name, the key as the
/// password; a missing or unknown key is answered with a Basic challenge, which makes it ask.
/// </summary>
public sealed record class BrowserPage;

public static class ScopeConventions
{
    /// <summary>The scope a key needs for this endpoint (docs/protocol.md, "Security"); endpoints that say nothing need read.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, ApiScope scope) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RequiredScope(scope));

    /// <summary>This endpoint is a page a browser opens: HTTP Basic is accepted for its key (<see cref="BrowserPage"/>).</summary>
    public static TBuilder OpenedByBrowsers<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new BrowserPage());
}
