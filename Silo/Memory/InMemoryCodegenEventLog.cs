using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Memory;

/// <summary>The embedded default's event_logs: every event in append order, for as long as the process lives (the newest 20,000: some 20 MiB at most).</summary>
public sealed class InMemoryCodegenEventLog : ICodegenEventLog
{
    const int Capacity = 20_000;
    readonly LinkedList<CodegenEventRecord> log = [];
    readonly HashSet<Guid> ids = [];
    readonly Lock gate = new();

    public Task AppendAsync(IReadOnlyList<CodegenEventRecord> events, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var e in events)
            {
                if (!ids.Add(e.EventId)) continue;
                log.AddLast(e);
                if (log.Count <= Capacity) continue;
                ids.Remove(log.First!.Value.EventId);
                log.RemoveFirst();
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CodegenEventRecord>> SessionAsync(Guid sessionId, int limit = 10_000, CancellationToken cancellationToken = default) =>
        Read(e => e.SessionId == sessionId, limit);

    public Task<IReadOnlyList<CodegenEventRecord>> CorrelatedAsync(string correlationId, int limit = 10_000, CancellationToken cancellationToken = default) =>
        Read(e => e.CorrelationId == correlationId, limit);

    Task<IReadOnlyList<CodegenEventRecord>> Read(Func<CodegenEventRecord, bool> where, int limit)
    {
        lock (gate)
        {
            // OrderBy is stable: events of one instant stay in append order, as the table's seq keeps them.
            return Task.FromResult<IReadOnlyList<CodegenEventRecord>>([.. log.Where(where).OrderBy(e => e.Timestamp).Take(limit)]);
        }
    }
}
