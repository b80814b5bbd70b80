namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// The configured AI quorum (Codegen:Quorum in the configuration, docs/intelligence.md): its models and the rule that
/// turns their votes into a verdict. Empty by default: a request that enables the quorum then gets quorum_unavailable.
/// </summary>
public sealed class QuorumPanel
{
    public IReadOnlyList<QuorumSeat> Seats { get; init; } = [];

    /// <summary>The consensus a package needs to pass, 0 to 1.</summary>
    public double Threshold { get; init; } = 0.6;

    /// <summary>Below this weight of answering models there is no verdict: quorum_unavailable.</summary>
    public double MinParticipatingWeight { get; init; } = 3.0;

    /// <summary>The whole vote's limit: a model still asked when it passes is cancelled and counted as not participating.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    public double TotalWeight => Seats.Sum(s => s.Weight);
}
