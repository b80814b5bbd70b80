using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Api.Codegen;

/// <summary>
/// Coordinated generation runs (docs/runs.md): POST /api/v1/codegen/runs accepts a run (202) and its coordinator grain
/// carries it out; GET follows it, its signals and its routing decisions; /package.zip downloads what completed;
/// /cancel stops it. A run is its creator's: another key needs admin.
/// </summary>
public static class RunEndpoints
{
    public const string BasePath = CodegenEndpoints.BasePath + "/runs";

    public static IEndpointRouteBuilder MapCodegenRuns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(BasePath).WithTags("codegen");
        group.MapPost("", StartAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("start_codegen_run", "Start a coordinated generation run of 1 to 50 contracts; answers 202 at once (200 with the existing run for a repeated run_id)")
            .DocumentsBody<StartRunRequest>("application/json")
            .Produces<UnifiedResponse<RunResponse>>(StatusCodes.Status202Accepted)
            .Produces<UnifiedResponse<RunResponse>>()
            .ProducesErrors(400, 413, 415, 503);
        group.MapGet("/{run_id}", GetAsync)
            .WithOperation("get_codegen_run", "A run's status, stages with their steps, contracts, wall time and speed-up")
            .Produces<UnifiedResponse<RunResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/{run_id}/signals", SignalsAsync)
            .WithOperation("get_codegen_run_signals", "The run's signal log in seq order, after after_seq (default 0), of one type or all")
            .Produces<UnifiedResponse<RunSignalsResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/{run_id}/routing", RoutingAsync)
            .WithOperation("get_codegen_run_routing", "Every routing decision of the run: contract, stage, decision, deciding strategy, confidence, reasoning")
            .Produces<UnifiedResponse<RunRoutingResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/{run_id}/package.zip", DownloadAsync)
            .WithOperation("download_codegen_run", "Every completed contract's package, each under a folder named by the contract")
            .Produces(StatusCodes.Status200OK, contentType: NodePackageZip.MediaType)
            .ProducesErrors(400, 403, 404, 503);
        group.MapPost("/{run_id}/cancel", CancelAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("cancel_codegen_run", "Cancel a run: steps under way finish, nothing new starts, open contracts end cancelled")
            .Produces<UnifiedResponse<RunResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        return routes;
    }

    static async Task<IResult> StartAsync(HttpContext http, IGrainFactory grains, ApiSettings settings)
    {
        var body = await JsonBody.ReadAsync<StartRunRequest>(http, settings.MaxContentBytes);
        var id = body.RunId is null ? Guid.CreateVersion7() : Query.Uuid(body.RunId, "run_id");
        var request = body.ToRequest(http.Caller()?.Name);
        var submitted = await ClusterCalls.RetryAsync(() => grains.GetGrain<ICodegenRunGrain>(id).SubmitAsync(request));
        Authorize(http, submitted.Run);
        http.Response.Headers.Location = $"{BasePath}/{id}";
        return Unified.Success(RunResponse.From(submitted.Run), $"run {submitted.Run.Status.Wire()}",
            submitted.Created ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    static async Task<IResult> GetAsync([FromRoute(Name = "run_id")] string runId, HttpContext http, IGrainFactory grains)
    {
        var (_, view) = await RunAsync(runId, http, grains);
        return Unified.Success(RunResponse.From(view), $"run {view.Status.Wire()}");
    }

    static async Task<IResult> SignalsAsync([FromRoute(Name = "run_id")] string runId, HttpContext http, IGrainFactory grains)
    {
        var after = long.TryParse(Query.Value(http, "after_seq") ?? "0", out var seq) && seq >= 0 ? seq
            : throw ApiException.Validation("after_seq", "expected a whole number from 0");
        var type = Query.Value(http, "type");
        if (type is not null && !RunSignals.All.Contains(type))
            throw ApiException.Validation("type", $"expected one of {string.Join(", ", RunSignals.All)}");
        var (run, view) = await RunAsync(runId, http, grains);
        var signals = await ClusterCalls.RetryAsync(() => run.SignalsAsync(after, type));
        return Unified.Success(new RunSignalsResponse(view.RunId, [.. signals.Select(RunSignalResponse.From)]), $"{signals.Count} signal(s)");
    }

    static async Task<IResult> RoutingAsync([FromRoute(Name = "run_id")] string runId, HttpContext http, IGrainFactory grains)
    {
        var (run, view) = await RunAsync(runId, http, grains);
        var decisions = await ClusterCalls.RetryAsync(run.RoutingAsync);
        return Unified.Success(new RunRoutingResponse(view.RunId, decisions), $"{decisions.Count} decision(s)");
    }

    static async Task<IResult> DownloadAsync([FromRoute(Name = "run_id")] string runId, HttpContext http, IGrainFactory grains)
    {
        var (run, view) = await RunAsync(runId, http, grains);
        var packages = await ClusterCalls.RetryAsync(run.PackagesAsync);
        return Results.File(RunPackageZip.Of(packages), NodePackageZip.MediaType, $"run-{view.RunId}.zip");
    }

    static async Task<IResult> CancelAsync([FromRoute(Name = "run_id")] string runId, HttpContext http, IGrainFactory grains)
    {
        var (run, _) = await RunAsync(runId, http, grains);
        var view = await ClusterCalls.RetryAsync(run.CancelAsync);
        return Unified.Success(RunResponse.From(view), $"run {view.Status.Wire()}");
    }

    static async Task<(ICodegenRunGrain Run, RunView View)> RunAsync(string runId, HttpContext http, IGrainFactory grains)
    {
        var id = Query.Uuid(runId, "run_id");
        var run = grains.GetGrain<ICodegenRunGrain>(id);
        var view = await ClusterCalls.RetryAsync(run.GetAsync);
        if (view.Status is RunStatus.None) throw new ApiException(404, ErrorCodes.RunNotFound, "run_id", $"no codegen run {id}");
        Authorize(http, view);
        return (run, view);
    }

    /// <summary>A run is its creator's; another key may see it only with the admin scope.</summary>
    static void Authorize(HttpContext http, RunView view)
    {
        if (http.Caller() is { } caller && view.Owner is { } owner && caller.Name != owner && !caller.Has(ApiScope.Admin))
            throw new ApiException(403, ErrorCodes.Forbidden, "run_id", "this codegen run belongs to another key");
    }
}
