using OmniBridge.Grains.Codegen.Quorum;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>docs/intelligence.md, "AI quorum": how an answer is read as a vote, and the consensus rule.</summary>
public sealed class QuorumBallotTests
{
    [Theory]
    [InlineData("""{"vote": true, "confidence": 0.8, "reasoning": "fine"}""", true, 0.8)]
    [InlineData("Sure.\n```json\n{\"vote\": false, \"confidence\": 0.25, \"reasoning\": \"no\"}\n```", false, 0.25)]
    [InlineData("```\n{\"vote\": \"pass\", \"confidence\": 1}\n```", true, 1.0)]
    public void An_object_alone_or_in_a_fence_is_a_vote(string answer, bool vote, double confidence)
    {
        var ballot = QuorumBallot.Read(answer);
        Assert.Equal(vote, ballot.Vote);
        Assert.Equal(confidence, ballot.Confidence);
    }

    [Theory]
    [InlineData("It looks fine.")]
    [InlineData("[true, 0.9]")]
    [InlineData("""{"confidence": 0.9}""")]
    [InlineData("""{"vote": true}""")]
    [InlineData("""{"vote": "maybe", "confidence": 0.9}""")]
    [InlineData("""{"vote": true, "confidence": 1.5}""")]
    public void Anything_else_is_unreadable(string answer) => Assert.Throws<FormatException>(() => QuorumBallot.Read(answer));

    sealed class Silent : ILanguageModel
    {
        public bool Available => true;
        public Task<string> CompleteAsync(string system, string user, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    static QuorumVote Voted(string id, double weight, bool pass, double confidence) =>
        new() { ModelId = id, Weight = weight, Participating = true, Vote = pass, Confidence = confidence };

    [Fact]
    public void Fail_votes_weigh_in_the_denominator_only_and_absent_models_in_neither()
    {
        var panel = new QuorumPanel
        {
            Seats = [new("a", 2, new Silent(), TimeSpan.FromSeconds(1)), new("b", 2, new Silent(), TimeSpan.FromSeconds(1)),
                new("c", 1.5, new Silent(), TimeSpan.FromSeconds(1)), new("d", 1, new Silent(), TimeSpan.FromSeconds(1))],
        };
        var result = QuorumTally.Decide([Voted("a", 2, true, 0.9), Voted("b", 2, false, 0.8), Voted("c", 1.5, true, 0.6),
            new QuorumVote { ModelId = "d", Weight = 1, Error = "down" }], panel, 12);

        Assert.Equal(Math.Round((2 * 0.9 + 1.5 * 0.6) / 5.5, 6), result.Consensus);
        Assert.Equal(QuorumStatuses.Failed, result.Status);
        Assert.Equal(5.5, result.ParticipatingWeight);
        Assert.Equal(6.5, result.TotalWeight);
    }

    [Fact]
    public void Below_the_minimum_weight_there_is_no_verdict()
    {
        var panel = new QuorumPanel { Seats = [new("a", 2, new Silent(), TimeSpan.FromSeconds(1)), new("b", 2, new Silent(), TimeSpan.FromSeconds(1))] };
        var result = QuorumTally.Decide([Voted("a", 2, true, 1), new QuorumVote { ModelId = "b", Weight = 2, Error = "down" }], panel, 1);
        Assert.Equal(QuorumStatuses.Unavailable, result.Status);
        Assert.False(result.Passed);
        Assert.Equal(1, result.Consensus);
    }
}
