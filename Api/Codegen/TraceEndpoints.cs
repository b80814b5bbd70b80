using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Codegen;

/// <summary>
/// The codegen event tracer (docs/codegen-events.md, "Tracer"), over event_logs: a session's events in time order, its
/// processing-time figures, and the events of one correlation id. They show every party's requests, so they need the
/// admin scope when keys are configured.
/// </summary>
public static class TraceEndpoints
{
    public static IEndpointRouteBuilder MapCodegenTrace(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(CodegenEndpoints.BasePath).WithTags("codegen");
        group.MapGet("/sessions/{session_id}/trace", TraceAsync)
            .RequireScope(ApiScope.Admin)
            .WithOperation("trace_codegen_session", "Every codegen event of a session (requests, responses, status events, dead letters) in time order, with its status and duration")
            .Produces<UnifiedResponse<TraceResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/sessions/{session_id}/trace/metrics", MetricsAsync)
            .RequireScope(ApiScope.Admin)
            .WithOperation("codegen_session_trace_metrics", "Processing-time percentiles of a session's events, counts by type, and per topic the events over 1, 2 and 5 s")
            .Produces<UnifiedResponse<TraceMetricsResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/events", CorrelatedAsync)
            .RequireScope(ApiScope.Admin)
            .WithOperation("find_codegen_events", "Every codegen event of one correlation_id (required), in time order")
            .Produces<UnifiedResponse<EventsResponse>>()
            .ProducesErrors(400, 403, 503);
        return routes;
    }

    static async Task<IResult> TraceAsync([FromRoute(Name = "session_id")] string sessionId, ServiceGrains grains)
    {
        var id = Query.Uuid(sessionId, "session_id");
        var trace = await ClusterCalls.RetryAsync(() => grains.CodegenTrace.TraceAsync(id))
            ?? throw NoEvents(id);
        return Unified.Success(new TraceResponse(trace.SessionId, trace.Status, Math.Round(trace.DurationMs, 3), trace.Events.Count,
            [.. trace.Events.Select(EventView.From)]), $"{trace.Events.Count} events, session {trace.Status}");
    }

    static async Task<IResult> MetricsAsync([FromRoute(Name = "session_id")] string sessionId, ServiceGrains grains)
    {
        var id = Query.Uuid(sessionId, "session_id");
        var metrics = await ClusterCalls.RetryAsync(() => grains.CodegenTrace.MetricsAsync(id))
            ?? throw NoEvents(id);
        return Unified.Success(TraceMetricsResponse.From(metrics), $"{metrics.TotalEvents} events, {metrics.Bottlenecks.Count} bottleneck topic(s)");
    }

    static async Task<IResult> CorrelatedAsync(HttpContext http, ServiceGrains grains)
    {
        var correlationId = Query.Value(http, "correlation_id");
        if (string.IsNullOrWhiteSpace(correlationId)) throw ApiException.Validation("correlation_id", "correlation_id is required");
        if (correlationId.Length > 200) throw ApiException.Validation("correlation_id", "correlation_id is at most 200 characters");
        var events = await ClusterCalls.RetryAsync(() => grains.CodegenTrace.CorrelatedAsync(correlationId));
        return Unified.Success(new EventsResponse(correlationId, events.Count, [.. events.Select(EventView.From)]), $"{events.Count} events");
    }

    static ApiException NoEvents(Guid sessionId) =>
        new(404, ErrorCodes.SessionNotFound, "session_id", $"no codegen event is logged for session {sessionId}");
}
