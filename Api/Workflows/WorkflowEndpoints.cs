using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Api.Stamping;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Api.Workflows;

/// <summary>Stamping workflows (docs/architecture.md, "Workflows"): POST /api/v1/workflows starts one, GET /api/v1/workflows/{id} follows it.</summary>
public static class WorkflowEndpoints
{
    public const string BasePath = "/api/v1/workflows";

    public static IEndpointRouteBuilder MapWorkflows(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(BasePath).WithTags("workflows");
        group.MapPost("", StartAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("start_workflow", "Start a stamping workflow; it runs in the background")
            .DocumentsBody<StartWorkflowRequest>("application/json")
            .Produces<UnifiedResponse<WorkflowResponse>>(StatusCodes.Status202Accepted)
            .ProducesErrors(400, 413, 415, 503);
        group.MapGet("/{workflow_id}", GetAsync)
            .WithOperation("get_workflow", "A workflow's state, steps, history and, once completed, its stamp records")
            .Produces<UnifiedResponse<WorkflowResponse>>()
            .ProducesErrors(400, 404, 503);
        return routes;
    }

    static async Task<IResult> StartAsync(HttpContext http, IGrainFactory grains, ApiSettings settings)
    {
        using var body = await JsonBody.ParseAsync(http, settings.MaxContentBytes);
        var request = JsonBody.Bind<StartWorkflowRequest>(body.Root);
        var namespaceName = Query.CheckedNamespace(request.Namespace ?? settings.DefaultNamespace, "namespace");
        http.SetNamespace(namespaceName);
        var id = request.WorkflowId is null ? Guid.CreateVersion7() : Query.Uuid(request.WorkflowId, "workflow_id");
        var form = StampRequestBinding.StampForm(request.Options);

        // Unlike a batch, a workflow is all or nothing: one bad item refuses the whole request.
        var items = BatchItems.Read(BatchItems.RequireCount(request.Items, "workflow"), namespaceName, form).ToList();
        if (items.FirstOrDefault(i => i.Refusal is not null)?.Refusal is { } refused) throw new ApiException(400, refused.Code, refused.Field, refused.Message);
        var workflow = new WorkflowRequest
        {
            Namespace = namespaceName,
            Items = items.ConvertAll(i => i.Command!),
            EnableIntelligence = request.EnableIntelligence ?? false,
        };
        WorkflowRequestRules.Check(workflow);

        var view = await ClusterCalls.RetryAsync(() => grains.GetGrain<IWorkflowGrain>(id).StartAsync(workflow));
        if (view.Namespace != namespaceName)
            throw new ApiException(409, ErrorCodes.WorkflowExists, "workflow_id", "a workflow with this id exists in another namespace");
        http.Response.Headers.Location = $"{BasePath}/{id}";
        return Unified.Success(WorkflowResponse.From(view), $"workflow {view.State.Wire()}", StatusCodes.Status202Accepted);
    }

    static async Task<IResult> GetAsync([FromRoute(Name = "workflow_id")] string workflowId, HttpContext http, IGrainFactory grains)
    {
        var id = Query.Uuid(workflowId, "workflow_id");
        var view = await ClusterCalls.RetryAsync(() => grains.GetGrain<IWorkflowGrain>(id).GetAsync());
        if (view.State is WorkflowPhase.None) throw new ApiException(404, ErrorCodes.WorkflowNotFound, "workflow_id", $"no workflow {id}");
        http.SetNamespace(view.Namespace);
        return Unified.Success(WorkflowResponse.From(view), $"workflow {view.State.Wire()}");
    }
}
