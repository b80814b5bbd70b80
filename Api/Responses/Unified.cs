using System.Text.Json;
using OmniBridge.Api.Configuration;
using OmniBridge.Api.Requests;

namespace OmniBridge.Api.Responses;

/// <summary>Writes UnifiedResponse bodies: how the API answers (a batch, in the same envelope, through <see cref="Stamping.BatchAnswer"/> as it is stamped).</summary>
public static class Unified
{
    /// <summary>The media type of every answer.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    public static IResult Success<T>(T data, string? message = null, int statusCode = StatusCodes.Status200OK) =>
        new Result<T>(statusCode, UnifiedStatus.Success, data, null, message);

    /// <summary>Writes an error body (data null) with <paramref name="statusCode"/>.</summary>
    public static Task WriteErrorAsync(HttpContext http, int statusCode, ApiError error) => WriteErrorsAsync(http, statusCode, [error], error.Message);

    /// <summary>Writes an error body listing several problems (a refused code generation request).</summary>
    public static Task WriteErrorsAsync(HttpContext http, int statusCode, IReadOnlyList<ApiError> errors, string message) =>
        WriteAsync(http, statusCode, new UnifiedResponse<object>
        {
            Status = UnifiedStatus.Error,
            Error = errors,
            Message = message,
            Metadata = MetadataOf(http),
        });

    static async Task WriteAsync<T>(HttpContext http, int statusCode, UnifiedResponse<T> body)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, body, ApiJson.Options, http.RequestAborted);
    }

    /// <summary>The metadata every answer ends with.</summary>
    public static ResponseMetadata MetadataOf(HttpContext http) => new()
    {
        Namespace = http.Namespace(),
        Operation = http.Operation(),
        ProtocolVersion = http.RequestServices.GetService<ApiSettings>()?.Stamping.ProtocolVersion ?? "1.0",
        RequestId = http.TraceIdentifier,
    };

    sealed class Result<T>(int statusCode, string status, T data, IReadOnlyList<ApiError>? errors, string? message)
        : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext) =>
            WriteAsync(httpContext, statusCode, new UnifiedResponse<T>
            {
                Status = status,
                Data = data,
                Error = errors,
                Message = message,
                Metadata = MetadataOf(httpContext),
            });
    }
}
