using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Grains.Interfaces.Workflows;

/// <summary>
/// What a workflow request must satisfy: a valid namespace, 1 to <see cref="Limits.BatchItems"/>
/// items, every item in the workflow's namespace and within the stamp command's rules (the record
/// limits included), so a grain client's oversized item is refused at the start as the REST API's is. The REST API checks it before it calls the
/// workflow grain, and the grain checks again for clients that call it directly.
/// </summary>
public static class WorkflowRequestRules
{
    /// <exception cref="StampCommandException">The first rule the request breaks.</exception>
    public static void Check(WorkflowRequest request)
    {
        if (!NamespaceName.IsValid(request.Namespace)) throw new StampCommandException(ErrorCodes.InvalidNamespace, "namespace", NamespaceName.Rule);
        if (request.Items.Count == 0) throw new StampCommandException(ErrorCodes.EmptyBatch, "items", "the workflow has no items");
        if (request.Items.Count > Limits.BatchItems)
            throw new StampCommandException(ErrorCodes.BatchTooLarge, "items", $"a workflow holds at most {Limits.BatchItems} items, not {request.Items.Count}");
        for (var i = 0; i < request.Items.Count; i++)
        {
            if (request.Items[i].Namespace != request.Namespace)
                throw new StampCommandException(ErrorCodes.ValidationError, $"items[{i}].namespace", "every item of a workflow is in the workflow's namespace");
            StampCommandRules.Check(request.Items[i], $"items[{i}].");
        }
    }
}
