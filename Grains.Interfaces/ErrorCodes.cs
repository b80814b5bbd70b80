namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// Every error code a client can see: in a response body, or as the error_code of a failed
/// workflow or code generation session (docs/protocol.md, "Errors", lists them with their HTTP
/// statuses). Clients branch on these, so
/// they never change. The API, the grains and the stores all name them from here.
/// </summary>
public static class ErrorCodes
{
    // Requests the API refuses.
    public const string ValidationError = "VALIDATION_ERROR";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string InvalidNamespace = "INVALID_NAMESPACE";
    public const string InvalidHashFormat = "INVALID_HASH_FORMAT";
    public const string EmptyBatch = "EMPTY_BATCH";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    // What the caller asked for is not there, or not in that state.
    public const string StampNotFound = "STAMP_NOT_FOUND";
    public const string WorkflowNotFound = "WORKFLOW_NOT_FOUND";
    public const string WorkflowExists = "WORKFLOW_EXISTS";
    public const string SessionNotFound = "SESSION_NOT_FOUND";
    public const string SessionNotCompleted = "SESSION_NOT_COMPLETED";
    public const string NotYetIntegrated = "NOT_YET_INTEGRATED";
    public const string LogDisabled = "LOG_DISABLED";

    // Who may do what.
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";

    // The service or what it depends on.
    public const string DependencyUnavailable = "DEPENDENCY_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";

    // A workflow's end.
    public const string StepFailed = "STEP_FAILED";
    public const string WorkflowTimeout = "WORKFLOW_TIMEOUT";

    // Code generation.
    public const string MixinConflict = "MIXIN_CONFLICT";
    public const string StrategyUnavailable = "STRATEGY_UNAVAILABLE";
    public const string LlmUnavailable = "LLM_UNAVAILABLE";
    public const string GenerationFailed = "GENERATION_FAILED";

    // Coordinated generation runs (docs/runs.md): the API's refusals, and why a run's contract failed.
    public const string RunNotFound = "RUN_NOT_FOUND";
    public const string DependencyFailed = "DEPENDENCY_FAILED";
    public const string DependencyTimeout = "DEPENDENCY_TIMEOUT";
    public const string QualityGateFailed = "QUALITY_GATE_FAILED";
    public const string RoutedError = "ROUTED_ERROR";
    public const string Cancelled = "CANCELLED";
}
