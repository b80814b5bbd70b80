using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Api.Security;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Transparency;

namespace OmniBridge.Api.Errors;

/// <summary>
/// The one place errors become responses: refused requests keep their status and code, an
/// unreachable cluster is 503 DEPENDENCY_UNAVAILABLE, and anything else is a logged 500 that
/// carries INTERNAL_ERROR and the request id, never a stack trace.
/// </summary>
public sealed partial class ApiErrorMiddleware(RequestDelegate next, ErrorClassifier classifier, ILogger<ApiErrorMiddleware> log)
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
            var (status, apiError) = classifier.Classify(http, error);
            if (ErrorClassifier.IsUnexpected(status, apiError)) LogUnexpected(log, http.TraceIdentifier, http.Request.Path, error);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Denied {Status} for {KeyName}, request {RequestId} to {Path}: {Reason}")]
    static partial void LogDenied(ILogger logger, int status, string keyName, string requestId, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} to {Path} failed unexpectedly")]
    static partial void LogUnexpected(ILogger logger, string requestId, PathString path, Exception error);
}
