using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// The consensus rule (docs/intelligence.md, "AI quorum"): Σ(weight × confidence of pass votes) / Σ(weight of the models
/// that answered); passed when it reaches the threshold; no verdict (quorum_unavailable) when the models that answered
/// weigh less than the minimum.
/// </summary>
public static class QuorumTally
{
    public static QuorumResult Decide(IReadOnlyList<QuorumVote> votes, QuorumPanel panel, double durationMs)
    {
        var participating = votes.Where(v => v.Participating).Sum(v => v.Weight);
        var support = votes.Where(v => v.Participating && v.Vote == true).Sum(v => v.Weight * (v.Confidence ?? 0));
        // Rounded before it is compared, so that the verdict agrees with the figure shown.
        var consensus = participating > 0 ? Math.Round(support / participating, 6) : 0;
        var status = participating < panel.MinParticipatingWeight ? QuorumStatuses.Unavailable
            : consensus >= panel.Threshold ? QuorumStatuses.Passed : QuorumStatuses.Failed;
        return new QuorumResult
        {
            Status = status,
            Passed = status == QuorumStatuses.Passed,
            Consensus = consensus,
            Threshold = panel.Threshold,
            ParticipatingWeight = Math.Round(participating, 6),
            TotalWeight = Math.Round(panel.TotalWeight, 6),
            MinParticipatingWeight = panel.MinParticipatingWeight,
            DurationMs = Math.Round(durationMs, 3),
            Votes = votes,
        };
    }
}
