using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>The AI quorum's verdict as /generate, a session and a run contract show it (docs/intelligence.md, "AI quorum").</summary>
public sealed record class QuorumView(
    string Status,
    bool Passed,
    double Consensus,
    double Threshold,
    double ParticipatingWeight,
    double TotalWeight,
    double MinParticipatingWeight,
    double DurationMs,
    IReadOnlyList<QuorumVoteView> Votes)
{
    public static QuorumView? From(QuorumResult? r) => r is null ? null : new(r.Status, r.Passed, r.Consensus, r.Threshold, r.ParticipatingWeight,
        r.TotalWeight, r.MinParticipatingWeight, r.DurationMs,
        [.. r.Votes.Select(v => new QuorumVoteView(v.ModelId, v.Weight, v.Participating, v.Vote, v.Confidence, v.Reasoning, v.DurationMs, v.Error))]);
}

public sealed record class QuorumVoteView(string ModelId, double Weight, bool Participating, bool? Vote, double? Confidence, string? Reasoning, double DurationMs, string? Error);
