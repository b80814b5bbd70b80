using System.Text.Json;
using OmniBridge.Api.Stamping;

namespace OmniBridge.Api.Workflows;

/// <summary>POST /api/v1/workflows: stamp these items in one namespace, as a workflow.</summary>
public sealed record class StartWorkflowRequest
{
    public string? Namespace { get; init; }

    /// <summary>The same item shape as /batch; every item is in the workflow's namespace.</summary>
    public List<JsonElement>? Items { get; init; }

    public bool? EnableIntelligence { get; init; }

    public StampOptions? Options { get; init; }

    /// <summary>Optional: your own id, so a retried POST finds the workflow it started instead of starting another.</summary>
    public string? WorkflowId { get; init; }
}
