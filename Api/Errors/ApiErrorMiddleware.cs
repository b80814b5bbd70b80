using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Transparency;

namespace OmniBridge.Api.Errors;

/// <summary>
/// The one place errors become responses: refused requests keep their status and code, an
/// unreachable cluster is 503 DEPENDENCY_UNAVAILABLE, and anything else is a logged 500 that
/// carries INTERNAL_ERROR and the request id, never a stack trace.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, IEnumerable<IOutageClassifier> outages, ILogger<ApiErrorMiddleware> log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: there is nobody to answer.
        }
        catch (Exception error) when (!http.Response.HasStarted)
        {
            var (status, apiError) = Classify(http, error);
            if (status >= 500 && apiError.Code == ErrorCodes.InternalError) LogUnexpected(log, http.TraceIdentifier, http.Request.Path, error);
            // Denials are logged with the key's name (never the key) and the request id.
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
                LogDenied(log, status, http.Caller()?.Name ?? "(no known key)", http.TraceIdentifier, http.Request.Path, apiError.Message);
            // Clear drops whatever a handler began, headers included: set ours afterwards.
            http.Response.Clear();
            http.Response.Headers[RequestIdMiddleware.Header] = http.TraceIdentifier;
            if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
            // A record the log has not taken in yet will be in it within a second or so.
            if (error is TransparencyLogException { RetryLater: true }) http.Response.Headers.RetryAfter = "1";
            if (status == StatusCodes.Status401Unauthorized)
            {
                // A browser asks for credentials only when challenged for Basic.
                http.Response.Headers.WWWAuthenticate = http.GetEndpoint()?.Metadata.GetMetadata<BrowserPage>() is not null
                    ? "Basic realm=\"OmniBridge.Orleans\", charset=\"UTF-8\"" : "Bearer";
            }
            // An unreadable or too-large body: the server closes the connection after answering; say so.
            if (status == StatusCodes.Status413PayloadTooLarge || error is BadHttpRequestException) http.Response.Headers.Connection = "close";
            // A refused generation lists every problem at once.
            IReadOnlyList<ApiError> errors = error is CodegenRequestException { Problems.Count: > 0 } refused
                ? [.. refused.Problems.Select(p => new ApiError(refused.Code, p.Field, p.Message))]
                : [apiError];
            await Unified.WriteErrorsAsync(http, status, errors, apiError.Message);
        }
    }

    (int Status, ApiError Error) Classify(HttpContext http, Exception error) => Unavailable(error) is { } dependency
        ? (StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorCodes.DependencyUnavailable, null, $"{dependency} is unavailable; retry shortly"))
        : error switch
        {
            ApiException api => (api.Status, new ApiError(api.Code, api.Field, api.Message)),
            StampCommandException command => (StatusCodes.Status400BadRequest, new ApiError(command.Code, command.Field, command.Message)),
            TransparencyLogException log => (log.Code switch
            {
                ErrorCodes.StampNotFound or ErrorCodes.LogDisabled => StatusCodes.Status404NotFound,
                ErrorCodes.NotYetIntegrated => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            }, new ApiError(log.Code, log.Field, log.Message)),
            CodegenRequestException refused => (StatusCodes.Status400BadRequest, new ApiError(refused.Code, refused.Problems.Count > 0 ? refused.Problems[0].Field : null, refused.Message)),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, TooLarge(http)),
            BadHttpRequestException bad => (bad.StatusCode, new ApiError(ErrorCodes.ValidationError, null, "the request could not be read: it ended early or is malformed")),
            _ when ClusterFailures.IsTransient(error) || error is TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, new ApiError(ErrorCodes.DependencyUnavailable, null, "the cluster is unavailable; retry shortly")),
            _ => (StatusCodes.Status500InternalServerError, new ApiError(ErrorCodes.InternalError, null, $"an internal error occurred; quote request id {http.TraceIdentifier}")),
        };

    /// <summary>
    /// The dependency whose outage caused <paramref name="error"/>, looking through wrappers (Orleans
    /// wraps a storage provider's failure in its own exception).
    /// </summary>
    string? Unavailable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DependencyUnavailableException unavailable) return unavailable.Dependency ?? "a dependency";
            if (outages.Select(o => o.DependencyOf(e)).FirstOrDefault(d => d is not null) is { } dependency) return dependency;
        }
        return null;
    }

    static ApiError TooLarge(HttpContext http)
    {
        var applied = RequestBody.Applied(http);
        return applied is { } limit
            ? new ApiError(ErrorCodes.PayloadTooLarge, null, ApiException.PayloadTooLarge(limit.Limit, limit.Setting).Message)
            : new ApiError(ErrorCodes.PayloadTooLarge, null, "the request body is too large");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Denied {Status} for {KeyName}, request {RequestId} to {Path}: {Reason}")]
    static partial void LogDenied(ILogger logger, int status, string keyName, string requestId, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} to {Path} failed unexpectedly")]
    static partial void LogUnexpected(ILogger logger, string requestId, PathString path, Exception error);
}
