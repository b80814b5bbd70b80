using System.Text.Json.Serialization;
using System.Diagnostics;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Health;

/// <summary>
/// /health reports every component; /health/live and /health/ready are the probes and say only
/// up or down. A component that is not configured never makes the service unready.
/// </summary>
public static class HealthEndpoints
{
    static readonly string[] Components = ["cluster", "postgres", "kafka"];
    static readonly DateTime StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>The health endpoints under the base path, and at the root where orchestrators look for them.</summary>
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ApiComposition.BasePath).WithTags(ApiComposition.StampingTag);
        MapHealth(group, aliases: false);
        MapHealth(routes.MapGroup(""), aliases: true);
        return group;
    }

    /// <param name="aliases">Root aliases of the documented endpoints: same behaviour, left out of the OpenAPI document.</param>
    static void MapHealth(IEndpointRouteBuilder routes, bool aliases)
    {
        // The probes need no key and say only up or down; the full report is for operators.
        Describe(routes.MapGet("/health", HealthAsync), "health_check", "Every component's state; 503 when a configured one is unhealthy", aliases)
            .RequireScope(ApiScope.Admin)
            .Produces<UnifiedResponse<HealthView>>()
            .ProducesErrors(503);
        Describe(routes.MapGet("/health/live", Live), "health_live", "Liveness: the process answers", aliases)
            .WithMetadata(new OpenToAll())
            .Produces<UnifiedResponse<ProbeView>>();
        Describe(routes.MapGet("/health/ready", ReadyAsync), "health_ready", "Readiness: every configured component is usable; 503 when not", aliases)
            .WithMetadata(new OpenToAll())
            .Produces<UnifiedResponse<ProbeView>>()
            .ProducesErrors(503);
    }

    static RouteHandlerBuilder Describe(RouteHandlerBuilder endpoint, string operation, string summary, bool alias) =>
        alias ? endpoint.WithMetadata(new ApiOperation(operation)).ExcludeFromDescription() : endpoint.WithOperation(operation, summary);

    static async Task<IResult> HealthAsync(HttpContext http, IEnumerable<IDependencyProbe> probes, ApiKeyRing keys, ServiceGrains grains)
    {
        var log = TransparencyLogAsync(grains);
        var components = await CheckAsync(probes, http.RequestAborted);
        var unhealthy = components.Where(c => c.Value.Status == ProbeResult.Unhealthy).Select(c => c.Key).ToList();
        if (unhealthy.Count > 0)
        {
            throw new ApiException(503, ErrorCodes.DependencyUnavailable, "components." + unhealthy[0],
                string.Join("; ", unhealthy.Select(c => $"{c} is unhealthy: {components[c].Detail}")));
        }
        var status = components.Values.Any(c => c.Status == ProbeResult.Degraded) ? ProbeResult.Degraded : ProbeResult.Healthy;
        return Unified.Success(new HealthView
        {
            Status = status,
            Components = components.ToDictionary(c => c.Key, c => new ComponentView(c.Value.Status, Math.Round(c.Value.ResponseTimeMs, 3), c.Value.Detail, c.Value.DeadLetters, c.Value.Figures)),
            UptimeSeconds = Math.Round((DateTime.UtcNow - StartedAt).TotalSeconds, 1),
            Authentication = keys.Enabled ? "api_keys" : "open",
            TransparencyLog = await log,
        }, keys.Enabled ? $"service is {status}" : $"service is {status}; no API key is configured, so it is open to anyone who can reach it");
    }

    /// <summary>The log's state as the cluster reports it; null when the cluster cannot say (its own component says why).</summary>
    static async Task<TransparencyLogView?> TransparencyLogAsync(ServiceGrains grains)
    {
        try
        {
            var status = await grains.TransparencyQuery.StatusAsync().WaitAsync(TimeSpan.FromSeconds(2));
            return new TransparencyLogView(status.Enabled, status.EphemeralKey ? "ephemeral" : "configured", status.VerifierKey,
                status.EphemeralKey ? "no LOG_SIGNING_KEY is configured: checkpoints cannot be verified after a restart" : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    static IResult Live() => Unified.Success(new ProbeView("up"));

    static async Task<IResult> ReadyAsync(HttpContext http, IEnumerable<IDependencyProbe> probes)
    {
        var components = await CheckAsync(probes, http.RequestAborted);
        return components.Values.All(c => c.Status != ProbeResult.Unhealthy)
            ? Unified.Success(new ProbeView("up"))
            : throw new ApiException(503, ErrorCodes.DependencyUnavailable, null, "not ready");
    }

    static async Task<Dictionary<string, ProbeResult>> CheckAsync(IEnumerable<IDependencyProbe> probes, CancellationToken cancellationToken)
    {
        var checks = probes.Select(async p => (p.Component, Result: await p.CheckAsync(cancellationToken))).ToList();
        var results = (await Task.WhenAll(checks)).ToDictionary(r => r.Component, r => r.Result);
        foreach (var component in Components) results.TryAdd(component, new ProbeResult(ProbeResult.NotConfigured, 0));
        return results;
    }
}

/// <summary>The state of the service and of each component.</summary>
public sealed record class HealthView
{
    public required string Status { get; init; }
    public required Dictionary<string, ComponentView> Components { get; init; }
    public required double UptimeSeconds { get; init; }

    /// <summary>api_keys, or open when no key is configured (docs/protocol.md, "Security": the service says so).</summary>
    public required string Authentication { get; init; }

    /// <summary>The transparency log: on or off, and whether its key survives a restart (docs/transparency.md, "Keys").</summary>
    public TransparencyLogView? TransparencyLog { get; init; }
}

/// <summary>The transparency log in /health: <c>signing_key</c> is configured or ephemeral.</summary>
public sealed record class TransparencyLogView(bool Enabled, string SigningKey, string VerifierKey, string? Warning);

/// <summary>
/// A component in /health; <c>dead_letters</c> only for Kafka (docs/protocol.md, "Events"); <c>figures</c> only for
/// codegen_events (docs/codegen-events.md, "DLQ monitor").
/// </summary>
public sealed record class ComponentView(string Status, double ResponseTimeMs, string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DeadLetters = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Figures = null);

/// <summary>A probe's answer: up or down, nothing more.</summary>
public sealed record class ProbeView(string Status);
