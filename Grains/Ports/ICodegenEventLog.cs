using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// event_logs (docs/codegen-events.md, "event_logs"): every codegen event the service sent or received, for the tracer. An event id
/// already there is ignored, so a redelivered request or a re-sent event is logged once. Reads come back in time order
/// (events of the same instant in the order they were appended).
/// </summary>
public interface ICodegenEventLog
{
    Task AppendAsync(IReadOnlyList<CodegenEventRecord> events, CancellationToken cancellationToken = default);

    /// <summary>The session's events, at most <paramref name="limit"/>, oldest first.</summary>
    Task<IReadOnlyList<CodegenEventRecord>> SessionAsync(Guid sessionId, int limit = 10_000, CancellationToken cancellationToken = default);

    /// <summary>The events of one correlation id, at most <paramref name="limit"/>, oldest first.</summary>
    Task<IReadOnlyList<CodegenEventRecord>> CorrelatedAsync(string correlationId, int limit = 10_000, CancellationToken cancellationToken = default);
}
