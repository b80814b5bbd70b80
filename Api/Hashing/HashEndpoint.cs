using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Errors;
using OmniBridge.Api.Metrics;
using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Stamping;
using OmniBridge.Grains.Interfaces.Validation;

namespace OmniBridge.Api.Hashing;

/// <summary>
/// POST /hash: the BLAKE3 of the bytes exactly as given, so it equals <c>b3sum</c> (docs/protocol.md, "Hashes"):
/// an octet-stream body (also when Content-Type is missing), the multipart part <c>file</c>, or
/// the UTF-8 bytes of JSON <c>content</c>. Octet-stream and multipart bodies stream.
/// </summary>
public static class HashEndpoint
{
    public static RouteHandlerBuilder MapHashing(this IEndpointRouteBuilder routes) =>
        routes.MapGroup(ApiComposition.BasePath).WithTags(ApiComposition.StampingTag).MapPost("/hash", HashAsync)
            .WithOperation("generate_hash", "BLAKE3 of a body, a multipart file or JSON content")
            .DocumentsBody<HashRequest>("application/octet-stream", "multipart/form-data", "application/json")
            .Produces<UnifiedResponse<HashView>>()
            .ProducesErrors(400, 413, 415);

    static async Task<IResult> HashAsync(HttpContext http, ApiSettings settings, ServiceMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        http.NoteNamespace(Query.Namespace(http, settings));
        var hash = MediaType.ForHash(http.Request) switch
        {
            MediaType.BodyKind.Json => await HashJsonAsync(http, settings),
            MediaType.BodyKind.Multipart => await HashMultipartAsync(http, settings),
            _ => await HashBodyAsync(http, settings),
        };
        metrics.Hashed(hash.HashTimeMs);
        return Unified.Success(new HashView
        {
            FileHash = hash.FileHash,
            FileSizeBytes = hash.Length,
            ExecutionTimeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            HashTimeMs = hash.HashTimeMs,
            PerformanceGrade = PerformanceMetrics.Grade(hash.HashTimeMs),
        }, "hash generated");
    }

    static async Task<StreamHash> HashBodyAsync(HttpContext http, ApiSettings settings)
    {
        await RequestBody.LimitAsync(http, settings.MaxHashStreamBytes, "MAX_HASH_STREAM_BYTES");
        return await StreamHasher.HashAsync(http.Request.Body, http.RequestAborted);
    }

    static async Task<StreamHash> HashJsonAsync(HttpContext http, ApiSettings settings)
    {
        var request = await JsonBody.ReadAsync<HashRequest>(http, settings.MaxContentBytes);
        if (request.Content is null) throw ApiException.Validation("content", "content is required");
        if (StampFields.UnicodeProblem(request.Content, "content") is { } problem) throw ApiException.Validation("content", problem);
        return StreamHasher.Hash(Encoding.UTF8.GetBytes(request.Content));
    }

    static async Task<StreamHash> HashMultipartAsync(HttpContext http, ApiSettings settings)
    {
        await RequestBody.LimitAsync(http, settings.MaxHashStreamBytes, "MAX_HASH_STREAM_BYTES");
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            throw ApiException.Validation(null, "multipart/form-data needs a boundary parameter of at most 200 characters");

        var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = settings.MaxHashStreamBytes };
        try
        {
            while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    return await StreamHasher.HashAsync(section.Body, http.RequestAborted);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException && !http.RequestAborted.IsCancellationRequested)
        {
            throw ApiException.Validation(null, "the multipart body is malformed");
        }
        throw ApiException.Validation("file", "the multipart body has no part named 'file'");
    }
}
