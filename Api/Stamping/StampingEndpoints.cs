using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Stamping;

/// <summary>Creating and reading stamp records: /stamp, /stamp/{file_hash}, /batch, /namespace/{ns}.</summary>
public static class StampingEndpoints
{
    public static RouteGroupBuilder MapStamping(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(ApiComposition.BasePath).WithTags(ApiComposition.StampingTag);
        group.MapPost("/stamp", StampAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("create_stamp", "Stamp content: create its record or return the existing one; "
                + "an application/octet-stream body (query namespace, file_path, content_type) streams and is stamped detached")
            .DocumentsBody<StampRequest>("application/json", "application/octet-stream")
            .Produces<UnifiedResponse<StampView>>(StatusCodes.Status201Created)
            .Produces<UnifiedResponse<StampView>>()
            .ProducesErrors(400, 413, 415, 503);
        group.MapGet("/stamp/{file_hash}", GetStampAsync)
            .WithOperation("get_stamp", "The namespace's stamp record for a file hash")
            .Produces<UnifiedResponse<StampRecordView>>()
            .ProducesErrors(400, 404, 503);
        group.MapPost("/batch", BatchAsync)
            .RequireScope(ApiScope.Write)
            .WithOperation("batch_stamp", $"Stamp 1 to {Limits.BatchItems} items; each succeeds or fails on its own")
            .DocumentsBody<BatchRequest>("application/json")
            .Produces<UnifiedResponse<BatchView>>()
            .ProducesErrors(400, 413, 415, 503);
        group.MapGet("/namespace/{ns}", ListNamespaceAsync)
            .WithOperation("query_namespace", "A namespace's stamps, newest first, with its aggregates")
            .Produces<UnifiedResponse<NamespaceView>>()
            .ProducesErrors(400, 503);
        return group;
    }

    static async Task<IResult> StampAsync(HttpContext http, ServiceGrains grains, ApiSettings settings, ServiceMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var command = MediaType.IsOctetStream(http.Request)
            ? await StreamedStamp.ReadAsync(http, settings)
            : (await JsonBody.ReadAsync<StampRequest>(http, settings.MaxContentBytes)).ToCommand(settings.DefaultNamespace);
        http.SetNamespace(command.Namespace);

        // The answer writes the stamped text from its pieces (StampView.StampedContent).
        command = command with { StampedInPieces = true };
        var outcome = await ClusterCalls.RetryAsync(() => grains.StampWorker.StampAsync(command));
        metrics.Stamped(outcome);
        return Unified.Success(
            StampView.From(outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds),
            outcome.Created ? "stamp created" : "stamp already existed; returned the existing record",
            outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    static async Task<IResult> GetStampAsync([FromRoute(Name = "file_hash")] string fileHash, HttpContext http, ServiceGrains grains,
        ApiSettings settings, ServiceMetrics metrics)
    {
        var namespaceName = Query.Namespace(http, settings);
        http.SetNamespace(namespaceName);
        if (!FileHash.IsValid(fileHash)) throw new ApiException(400, ErrorCodes.InvalidHashFormat, "file_hash", FileHash.Rule);

        var record = await ClusterCalls.RetryAsync(() => grains.StampQuery.FindAsync(namespaceName, fileHash));
        metrics.LookedUp(record is not null);
        return record is null
            ? throw new ApiException(404, ErrorCodes.StampNotFound, "file_hash", $"no stamp for {fileHash} in namespace {namespaceName}")
            : Unified.Success(StampRecordView.From(record), "stamp found");
    }

    static async Task<IResult> BatchAsync(HttpContext http, ServiceGrains grains, ApiSettings settings, ServiceMetrics metrics, ErrorClassifier classifier, ILoggerFactory logs)
    {
        using var body = await JsonBody.ParseAsync(http, settings.MaxContentBytes);
        await BatchStamping.WriteAsync(BatchRequest.Read(body.Root), http, grains, settings, metrics, classifier, logs.CreateLogger(typeof(BatchStamping)));
        return Results.Empty;
    }

    static async Task<IResult> ListNamespaceAsync([FromRoute(Name = "ns")] string namespaceName, HttpContext http, ServiceGrains grains, IGrainFactory factory)
    {
        Query.CheckedNamespace(namespaceName, "namespace");
        http.SetNamespace(namespaceName);
        var limit = Query.WholeNumber(http, "limit", Limits.DefaultPageSize, 1, Limits.PageSize);
        var cursor = Query.Value(http, "cursor") is not { } raw ? null
            : ListingCursor.TryDecode(raw, out var decoded) ? decoded
            : throw ApiException.Validation("cursor", "cursor is not one this service issued; pass next_cursor from the previous page");

        var page = ClusterCalls.RetryAsync(() => grains.StampQuery.ListAsync(namespaceName, limit, cursor));
        var aggregates = ClusterCalls.RetryAsync(() => factory.GetGrain<INamespaceReducerGrain>(namespaceName).GetAggregatesAsync());
        await Task.WhenAll(page, aggregates);
        return Unified.Success(new NamespaceView
        {
            Namespace = namespaceName,
            Stamps = page.Result.Records.Select(StampRecordView.From).ToList(),
            NextCursor = page.Result.Next is { } next ? ListingCursor.Encode(next) : null,
            Aggregates = AggregatesView.From(aggregates.Result),
        }, $"{page.Result.Records.Count} stamps");
    }
}
