namespace OmniBridge.Api.Errors;

/// <summary>The stable error codes of SPEC §4. Clients branch on these, so they never change.</summary>
public static class ErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string InvalidNamespace = "INVALID_NAMESPACE";
    public const string InvalidHashFormat = "INVALID_HASH_FORMAT";
    public const string EmptyBatch = "EMPTY_BATCH";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string StampNotFound = "STAMP_NOT_FOUND";
    public const string WorkflowNotFound = "WORKFLOW_NOT_FOUND";
    public const string WorkflowExists = "WORKFLOW_EXISTS";
    public const string SessionNotFound = "SESSION_NOT_FOUND";
    public const string SessionNotCompleted = "SESSION_NOT_COMPLETED";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string DependencyUnavailable = "DEPENDENCY_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
}
