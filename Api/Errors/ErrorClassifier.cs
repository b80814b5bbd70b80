using OmniBridge.Api.Requests;
using OmniBridge.Api.Responses;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Transparency;

namespace OmniBridge.Api.Errors;

/// <summary>
/// What an exception means to a caller: its status and error. Refused requests keep their status and
/// code, an outage of a dependency or the cluster is 503 DEPENDENCY_UNAVAILABLE, anything else 500
/// INTERNAL_ERROR with the request id. The error middleware answers with it; a batch whose answer has
/// begun fails its remaining items with it.
/// </summary>
public sealed class ErrorClassifier(IEnumerable<IOutageClassifier> outages)
{
    /// <summary>An error that is a bug of the service (logged with its exception), not a refusal or an outage.</summary>
    public static bool IsUnexpected(int status, ApiError error) => status >= 500 && error.Code == ErrorCodes.InternalError;

    public (int Status, ApiError Error) Classify(HttpContext http, Exception error) => Unavailable(error) is { } dependency
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
}
