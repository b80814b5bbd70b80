namespace OmniBridge.Grains.Interfaces.Codegen.Events;

/// <summary>
/// One codegen event the service sent or received (docs/codegen-events.md, "event_logs"): a request it consumed, a response or status
/// event it produced, or a dead letter it wrote. Ids are stable, so a redelivered or re-sent event is written once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class CodegenEventRecord
{
    [Id(0)] public required Guid EventId { get; init; }
    /// <summary>Null when the message named no readable session (a dead letter of an unreadable request).</summary>
    [Id(1)] public Guid? SessionId { get; init; }
    [Id(2)] public string? CorrelationId { get; init; }
    /// <summary>request, response, status or error (<see cref="CodegenEventTypes"/>).</summary>
    [Id(3)] public required string EventType { get; init; }
    [Id(4)] public required string Topic { get; init; }
    [Id(5)] public int? Partition { get; init; }
    [Id(6)] public long? Offset { get; init; }
    [Id(7)] public required DateTime Timestamp { get; init; }
    /// <summary>received, processing, completed, failed or sent (<see cref="CodegenEventStatuses"/>).</summary>
    [Id(8)] public required string Status { get; init; }
    [Id(9)] public double? ProcessingTimeMs { get; init; }
    /// <summary>The message's JSON (an unreadable message as <c>{"raw": text}</c>).</summary>
    [Id(10)] public required string Payload { get; init; }
    [Id(11)] public string? Error { get; init; }
}

/// <summary>The event_type column's values.</summary>
public static class CodegenEventTypes
{
    public const string Request = "request";
    public const string Response = "response";
    public const string Status = "status";
    public const string Error = "error";

    public static readonly IReadOnlyList<string> All = [Request, Response, Status, Error];
}

/// <summary>The status column's values (the original's set).</summary>
public static class CodegenEventStatuses
{
    public const string Sent = "sent";
    public const string Received = "received";
    public const string Failed = "failed";
    public const string Processing = "processing";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Sent, Received, Failed, Processing, Completed];
}
