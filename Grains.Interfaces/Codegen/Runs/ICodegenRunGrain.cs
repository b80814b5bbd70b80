using Orleans.Concurrency;

namespace OmniBridge.Grains.Interfaces.Codegen.Runs;

/// <summary>
/// The coordinator of one generation run (docs/runs.md), keyed by its run id: checks the contracts' graph, runs their
/// stages on stateless agents, keeps the run's state, signal log and routing history, and resumes on another silo when
/// its own dies.
/// </summary>
public interface ICodegenRunGrain : IGrainWithGuidKey
{
    /// <summary>Accepts the run and returns at once; a run that exists is returned as it is (the new request is ignored).</summary>
    /// <exception cref="CodegenRequestException">The contracts are refused (names, unknown dependencies, a cycle); nothing was started.</exception>
    Task<RunSubmission> SubmitAsync(RunRequest request);

    /// <summary>The run as it is now; status None when it was never submitted.</summary>
    [AlwaysInterleave]
    Task<RunView> GetAsync();

    /// <summary>Stops the run: steps under way finish, nothing new starts, unfinished contracts end cancelled.</summary>
    [AlwaysInterleave]
    Task<RunView> CancelAsync();

    /// <summary>The run's signals after <paramref name="afterSeq"/>, in order, of one type or all.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<RunSignal>> SignalsAsync(long afterSeq, string? signalType);

    /// <summary>Every decision of the run's router, in order.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<RoutingDecisionView>> RoutingAsync();

    /// <summary>The packages of the contracts that completed, in the run's contract order.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<RunPackage>> PackagesAsync();
}

/// <summary>The answer to a submission: the run, and whether this call created it.</summary>
[GenerateSerializer, Immutable]
public sealed record class RunSubmission([property: Id(0)] RunView Run, [property: Id(1)] bool Created);
