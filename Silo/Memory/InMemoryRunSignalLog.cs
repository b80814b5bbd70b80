using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Memory;

/// <summary>The embedded default's run signal log: each run's signals by seq, for as long as the process lives.</summary>
public sealed class InMemoryRunSignalLog : IRunSignalLog
{
    readonly Dictionary<Guid, SortedList<long, RunSignal>> runs = [];
    readonly Lock gate = new();

    public Task AppendAsync(Guid runId, IReadOnlyList<RunSignal> signals, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!runs.TryGetValue(runId, out var log)) runs[runId] = log = [];
            foreach (var signal in signals) log.TryAdd(signal.Seq, signal);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunSignal>> ReadAsync(Guid runId, long afterSeq, string? signalType = null, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!runs.TryGetValue(runId, out var log)) return Task.FromResult<IReadOnlyList<RunSignal>>([]);
            return Task.FromResult<IReadOnlyList<RunSignal>>([.. log.Values.Where(s => s.Seq > afterSeq && (signalType is null || s.SignalType == signalType))]);
        }
    }
}
