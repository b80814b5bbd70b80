using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>
/// Code generation (docs/protocol.md, "Code generation"): POST /api/v1/codegen/generate makes a node package (JSON, or a zip
/// with Accept: application/zip); GET /api/v1/codegen/sessions/{id} follows a session, and
/// /sessions/{id}/package.zip downloads its package. A session is its creator's: another key needs admin.
/// </summary>
public static class CodegenEndpoints
{
    public const string BasePath = "/api/v1/codegen";

    public static IEndpointRouteBuilder MapCodegen(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(BasePath).WithTags("codegen");
        group.MapPost("/generate", GenerateAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("generate_node", "Generate an ONEX v2.0 node package from requirements")
            .DocumentsBody<GenerateRequest>("application/json")
            .Produces<UnifiedResponse<GenerationResponse>>()
            .Produces(StatusCodes.Status200OK, contentType: NodePackageZip.MediaType)
            .ProducesErrors(400, 413, 415, 503);
        group.MapGet("/sessions/{session_id}", GetAsync)
            .WithOperation("get_codegen_session", "A generation session's status and progress, and its package once completed")
            .Produces<UnifiedResponse<SessionResponse>>()
            .ProducesErrors(400, 403, 404, 503);
        group.MapGet("/sessions/{session_id}/package.zip", DownloadAsync)
            .WithOperation("download_codegen_package", "A completed session's package as a zip")
            .Produces(StatusCodes.Status200OK, contentType: NodePackageZip.MediaType)
            .ProducesErrors(400, 403, 404, 409, 503);
        group.MapPost("/patterns/match", MatchPatternsAsync)
            .WithOperation("match_codegen_patterns", "The production patterns that suit a node type, an operation and features, most relevant first")
            .DocumentsBody<PatternMatchRequest>("application/json")
            .Produces<UnifiedResponse<PatternMatchResponse>>()
            .ProducesErrors(400, 413, 415, 503);
        return routes;
    }

    static async Task<IResult> GenerateAsync(HttpContext http, IGrainFactory grains, ApiSettings settings)
    {
        var body = await JsonBody.ReadAsync<GenerateRequest>(http, settings.MaxContentBytes);
        var requirements = body.Requirements ?? throw ApiException.Validation("requirements", "requirements is required");
        var id = body.SessionId is null ? Guid.CreateVersion7() : Query.Uuid(body.SessionId, "session_id");
        var quorum = QuorumBody.Read(body.Quorum);
        var request = new GenerationRequest
        {
            Requirements = requirements.ToRequirements(),
            Strategy = body.Strategy ?? CodegenStrategies.Auto,
            ValidationLevel = body.ValidationLevel ?? ValidationLevels.Standard,
            Owner = http.Caller()?.Name,
            Quorum = quorum,
        };
        var view = await ClusterCalls.RetryAsync(() => grains.GetGrain<ICodegenSessionGrain>(id).GenerateAsync(request));
        Authorize(http, view);
        var result = Finished(view);
        http.Response.Headers.Location = $"{BasePath}/sessions/{id}";
        if (WantsZip(http)) return NodePackageZip.Download(result);
        return Unified.Success(GenerationResponse.From(result),
            result.ValidationPassed ? $"generated {result.NodeName}" : $"generated {result.NodeName}; validation found {result.ValidationErrors.Count} problem(s)");
    }

    /// <summary>Reads nothing and changes nothing: the catalogue is fixed, so the read scope is enough.</summary>
    static async Task<IResult> MatchPatternsAsync(HttpContext http, ServiceGrains grains, ApiSettings settings)
    {
        var body = await JsonBody.ReadAsync<PatternMatchRequest>(http, settings.MaxContentBytes);
        var query = body.ToQuery();
        var matches = await ClusterCalls.RetryAsync(() => grains.PatternCatalogue.MatchAsync(query));
        return Unified.Success(PatternMatchResponse.From(query, matches), $"{matches.Count} pattern(s) matched");
    }

    static async Task<IResult> GetAsync([FromRoute(Name = "session_id")] string sessionId, HttpContext http, IGrainFactory grains)
    {
        var view = await SessionAsync(sessionId, http, grains);
        if (WantsZip(http)) return NodePackageZip.Download(Completed(view));
        return Unified.Success(SessionResponse.From(view), $"session {view.Status.Wire()}");
    }

    static async Task<IResult> DownloadAsync([FromRoute(Name = "session_id")] string sessionId, HttpContext http, IGrainFactory grains) =>
        NodePackageZip.Download(Completed(await SessionAsync(sessionId, http, grains)));

    static async Task<CodegenSessionView> SessionAsync(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var id = Query.Uuid(sessionId, "session_id");
        var view = await ClusterCalls.RetryAsync(() => grains.GetGrain<ICodegenSessionGrain>(id).GetAsync());
        if (view.Status is SessionStatus.None) throw new ApiException(404, ErrorCodes.SessionNotFound, "session_id", $"no codegen session {id}");
        Authorize(http, view);
        return view;
    }

    /// <summary>A session is its creator's; another key may see it only with the admin scope.</summary>
    static void Authorize(HttpContext http, CodegenSessionView view)
    {
        if (http.Caller() is { } caller && view.Owner is { } owner && caller.Name != owner && !caller.Has(ApiScope.Admin))
            throw new ApiException(403, ErrorCodes.Forbidden, "session_id", "this codegen session belongs to another key");
    }

    /// <summary>The result of a finished generation; a failed one is the language model's outage (503) or a bug (500).</summary>
    static GenerationResult Finished(CodegenSessionView view) => view switch
    {
        { Result: { } result } => result,
        { ErrorCode: ErrorCodes.LlmUnavailable } => throw new DependencyUnavailableException("the language model", view.Error ?? "the language model is unavailable"),
        _ => throw new InvalidOperationException($"codegen session {view.SessionId} ended {view.Status}: {view.Error}"),
    };

    static GenerationResult Completed(CodegenSessionView view) => view.Result
        ?? throw new ApiException(409, ErrorCodes.SessionNotCompleted, "session_id", $"the session is {view.Status.Wire()}; it has no package");

    static bool WantsZip(HttpContext http) =>
        http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(NodePackageZip.MediaType, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);
}
