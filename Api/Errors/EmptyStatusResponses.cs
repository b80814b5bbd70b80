using Microsoft.AspNetCore.Diagnostics;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;

namespace OmniBridge.Api.Errors;

/// <summary>Gives routing's bare 404 and 405 (and any other empty error status) a UnifiedResponse body.</summary>
public static class EmptyStatusResponses
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => new ApiError(ErrorCodes.NotFound, null, $"no route matches {http.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => new ApiError(ErrorCodes.MethodNotAllowed, null, $"{http.Request.Method} is not allowed on {http.Request.Path}"),
            StatusCodes.Status413PayloadTooLarge => new ApiError(ErrorCodes.PayloadTooLarge, null, "the request body is too large"),
            StatusCodes.Status415UnsupportedMediaType => new ApiError(ErrorCodes.UnsupportedMediaType, null, "the Content-Type is not supported here"),
            >= 500 => new ApiError(ErrorCodes.InternalError, null, $"an internal error occurred; quote request id {http.TraceIdentifier}"),
            _ => new ApiError(ErrorCodes.ValidationError, null, "the request is invalid"),
        };
        return Unified.WriteErrorAsync(http, http.Response.StatusCode, error);
    }
}
