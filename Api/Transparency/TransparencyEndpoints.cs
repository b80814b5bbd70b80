using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Transparency;

/// <summary>
/// A namespace's transparency log (docs/transparency.md, "Endpoints"): its checkpoint and key as
/// plain text, and proofs and entries as UnifiedResponse envelopes. Read scope; the namespace
/// rules of every other endpoint apply.
/// </summary>
public static class TransparencyEndpoints
{
    public const string BasePath = "/api/v1/transparency/{namespace}";
    public const string Tag = "transparency";

    public static RouteGroupBuilder MapTransparency(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(BasePath).WithTags(Tag);
        group.MapGet("/checkpoint", CheckpointAsync)
            .WithOperation("log_checkpoint", "The namespace log's latest signed checkpoint (a signed note, text/plain)")
            .Produces<string>(contentType: "text/plain")
            .ProducesErrors(400, 404, 503);
        group.MapGet("/key", KeyAsync)
            .WithOperation("log_key", "The verifier key of the checkpoints (text/plain)")
            .Produces<string>(contentType: "text/plain")
            .ProducesErrors(400, 404, 503);
        group.MapGet("/proof/inclusion", InclusionAsync)
            .WithOperation("log_inclusion_proof", "The audit path of a record's leaf (RFC 9162), with the latest checkpoint")
            .Produces<UnifiedResponse<InclusionProofView>>()
            .ProducesErrors(400, 404, 409, 503);
        group.MapGet("/proof/consistency", ConsistencyAsync)
            .WithOperation("log_consistency_proof", "The proof that one tree size extends another (RFC 9162)")
            .Produces<UnifiedResponse<ConsistencyProofView>>()
            .ProducesErrors(400, 404, 503);
        group.MapGet("/entries", EntriesAsync)
            .WithOperation("log_entries", "Leaves in index order, for monitors that rebuild the tree")
            .Produces<UnifiedResponse<EntriesView>>()
            .ProducesErrors(400, 404, 503);
        return group;
    }

    static async Task<IResult> CheckpointAsync([FromRoute(Name = "namespace")] string namespaceName, HttpContext http, ServiceGrains grains)
    {
        Authorize(http, namespaceName);
        var note = await ClusterCalls.RetryAsync(() => grains.TransparencyQuery.CheckpointAsync(namespaceName));
        return Results.Text(note, "text/plain; charset=utf-8");
    }

    static async Task<IResult> KeyAsync([FromRoute(Name = "namespace")] string namespaceName, HttpContext http, ServiceGrains grains)
    {
        Authorize(http, namespaceName);
        var status = await ClusterCalls.RetryAsync(() => grains.TransparencyQuery.StatusAsync());
        if (!status.Enabled) throw new ApiException(404, ErrorCodes.LogDisabled, null, "the transparency log is turned off (LOG_ENABLED=false)");
        return Results.Text(status.VerifierKey + "\n", "text/plain; charset=utf-8");
    }

    static async Task<IResult> InclusionAsync([FromRoute(Name = "namespace")] string namespaceName, HttpContext http, ServiceGrains grains)
    {
        Authorize(http, namespaceName);
        var fileHash = Query.Value(http, "file_hash") ?? throw ApiException.Validation("file_hash", "file_hash is required");
        if (!FileHash.IsValid(fileHash)) throw new ApiException(400, ErrorCodes.InvalidHashFormat, "file_hash", FileHash.Rule);
        var treeSize = Query.Value(http, "tree_size") is null ? (long?)null : Count(http, "tree_size", 1);
        var proof = await ClusterCalls.RetryAsync(() => grains.TransparencyQuery.InclusionAsync(namespaceName, fileHash, treeSize));
        return Unified.Success(InclusionProofView.From(proof), $"leaf {proof.LeafIndex} of {proof.TreeSize}");
    }

    static async Task<IResult> ConsistencyAsync([FromRoute(Name = "namespace")] string namespaceName, HttpContext http, ServiceGrains grains)
    {
        Authorize(http, namespaceName);
        var from = Count(http, "from", 1);
        var to = Count(http, "to", 1);
        var proof = await ClusterCalls.RetryAsync(() => grains.TransparencyQuery.ConsistencyAsync(namespaceName, from, to));
        return Unified.Success(ConsistencyProofView.Of(proof), $"tree {proof.To} extends tree {proof.From}");
    }

    static async Task<IResult> EntriesAsync([FromRoute(Name = "namespace")] string namespaceName, HttpContext http, ServiceGrains grains)
    {
        Authorize(http, namespaceName);
        var start = Query.Value(http, "start") is null ? 0 : Count(http, "start", 0);
        var limit = Query.WholeNumber(http, "limit", 100, 1, 1000);
        var entries = await ClusterCalls.RetryAsync(() => grains.TransparencyQuery.EntriesAsync(namespaceName, start, limit));
        return Unified.Success(new EntriesView([.. entries.Select(e => new EntryView(e.Index, Convert.ToBase64String(e.Leaf)))]), $"{entries.Count} entries");
    }

    /// <summary>The namespace in the path, checked like any other: a key outside it gets 403.</summary>
    static void Authorize(HttpContext http, string namespaceName) => http.SetNamespace(Query.CheckedNamespace(namespaceName, "namespace"));

    /// <summary>A required whole-number parameter of at least <paramref name="min"/>.</summary>
    static long Count(HttpContext http, string name, long min) =>
        Query.Value(http, name) is { } raw && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw ApiException.Validation(name, $"{name} must be a whole number of at least {min}");
}
