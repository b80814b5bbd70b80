namespace OmniBridge.Grains.Interfaces.Codegen.Events;

/// <summary>Reads event_logs for the tracer (docs/codegen-events.md, "Tracer"). Stateless: call it with key 0.</summary>
public interface ICodegenTraceGrain : IGrainWithIntegerKey
{
    /// <summary>The session's events in time order; null when none is logged.</summary>
    Task<CodegenTrace?> TraceAsync(Guid sessionId);

    /// <summary>The session's processing-time figures; null when no event is logged.</summary>
    Task<CodegenTraceMetrics?> MetricsAsync(Guid sessionId);

    /// <summary>Every event of <paramref name="correlationId"/>, in time order.</summary>
    Task<IReadOnlyList<CodegenEventRecord>> CorrelatedAsync(string correlationId);
}
