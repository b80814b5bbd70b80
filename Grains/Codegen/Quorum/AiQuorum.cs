using System.Diagnostics;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// Asks every model of the panel at once for its vote on a node, under one deadline (docs/intelligence.md, "AI quorum"):
/// a model that fails, answers unreadably, runs out of its own timeout or is still asked at the deadline is cancelled and
/// recorded as not participating, with the reason. The verdict never waits past the deadline, whatever a model does.
/// </summary>
public sealed class AiQuorum(QuorumPanel panel, QuorumMetrics metrics)
{
    public QuorumPanel Panel => panel;

    public async Task<QuorumResult> VoteAsync(QuorumBrief brief, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var user = QuorumPrompt.User(brief);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(panel.Deadline);
        var votes = await Task.WhenAll(panel.Seats.Select(seat => AskAsync(seat, user, deadline.Token, cancellationToken)));
        var result = QuorumTally.Decide(votes, panel, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        metrics.Decided(result);
        return result;
    }

    async Task<QuorumVote> AskAsync(QuorumSeat seat, string user, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string outcome, error;
        try
        {
            // WaitAsync: the vote leaves at the deadline even if a client ignored its cancellation.
            var answer = await Task.Run(() => seat.Model.CompleteAsync(QuorumPrompt.System, user, deadline), deadline).WaitAsync(deadline);
            var ballot = QuorumBallot.Read(answer);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            metrics.ModelAnswered(seat.Id, "voted", ms);
            return new QuorumVote
            {
                ModelId = seat.Id, Weight = seat.Weight, Participating = true, Vote = ballot.Vote, Confidence = ballot.Confidence,
                Reasoning = ballot.Reasoning, DurationMs = Math.Round(ms, 3),
            };
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            (outcome, error) = ("deadline", $"no answer before the quorum's deadline of {panel.Deadline.TotalSeconds:0.###} s: cancelled");
        }
        catch (LanguageModelException e)
        {
            (outcome, error) = e.TimedOut ? ("timeout", e.Message) : ("failed", e.Message);
        }
        catch (FormatException e)
        {
            (outcome, error) = ("unreadable", "unreadable answer: " + e.Message);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        metrics.ModelAnswered(seat.Id, outcome, elapsed);
        return new QuorumVote { ModelId = seat.Id, Weight = seat.Weight, Participating = false, DurationMs = Math.Round(elapsed, 3), Error = error };
    }
}
