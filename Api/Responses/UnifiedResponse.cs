namespace OmniBridge.Api.Responses;

/// <summary>The envelope of every response body, errors included (docs/protocol.md, "The REST API").</summary>
public sealed record class UnifiedResponse<T>
{
    /// <summary><see cref="UnifiedStatus.Success"/>, <see cref="UnifiedStatus.Error"/> or <see cref="UnifiedStatus.Partial"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The result; null on an error.</summary>
    public T? Data { get; init; }

    /// <summary>What went wrong; null on success.</summary>
    public IReadOnlyList<ApiError>? Error { get; init; }

    public string? Message { get; init; }

    public required ResponseMetadata Metadata { get; init; }
}

/// <summary>The values of <see cref="UnifiedResponse{T}.Status"/>.</summary>
public static class UnifiedStatus
{
    public const string Success = "success";
    public const string Error = "error";

    /// <summary>A batch where some items failed and some did not.</summary>
    public const string Partial = "partial";
}

/// <summary>One error with a stable code and, where one is at fault, the JSON path of the field.</summary>
public sealed record class ApiError(string Code, string? Field, string Message);

/// <summary>Where and how the request was handled.</summary>
public sealed record class ResponseMetadata
{
    public string? Namespace { get; init; }
    public string? Operation { get; init; }
    public required string ProtocolVersion { get; init; }
    public required string RequestId { get; init; }
}
