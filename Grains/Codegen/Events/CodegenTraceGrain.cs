using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>The tracer's reads of event_logs (docs/codegen-events.md, "Tracer"): stateless, any silo answers.</summary>
[StatelessWorker]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class CodegenTraceGrain(ICodegenEventLog log) : Grain, ICodegenTraceGrain
{
    public async Task<CodegenTrace?> TraceAsync(Guid sessionId) => CodegenTraces.Trace(sessionId, await log.SessionAsync(sessionId));

    public async Task<CodegenTraceMetrics?> MetricsAsync(Guid sessionId) => CodegenTraces.Metrics(sessionId, await log.SessionAsync(sessionId));

    public Task<IReadOnlyList<CodegenEventRecord>> CorrelatedAsync(string correlationId) => log.CorrelatedAsync(correlationId);
}
