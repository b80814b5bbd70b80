using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// The persisted signal log of generation runs (docs/runs.md, "Signals"): per run, signals in seq order, written by
/// the run's coordinator only, read back from any sequence number. Appending a signal already there (same run and seq,
/// after a resumed coordinator hands over what it had not yet written) changes nothing.
/// </summary>
public interface IRunSignalLog
{
    Task AppendAsync(Guid runId, IReadOnlyList<RunSignal> signals, CancellationToken cancellationToken = default);

    /// <summary>The run's signals with seq above <paramref name="afterSeq"/>, in seq order, of one type or all.</summary>
    Task<IReadOnlyList<RunSignal>> ReadAsync(Guid runId, long afterSeq, string? signalType = null, CancellationToken cancellationToken = default);
}
