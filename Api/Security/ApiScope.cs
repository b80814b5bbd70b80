using Microsoft.AspNetCore.Builder;

namespace OmniBridge.Api.Security;

/// <summary>What a key may do (SPEC §9). Admin includes read and write.</summary>
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

public static class ScopeConventions
{
    /// <summary>The scope a key needs for this endpoint (SPEC §9); endpoints that say nothing need read.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder endpoint, ApiScope scope) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RequiredScope(scope));
}
