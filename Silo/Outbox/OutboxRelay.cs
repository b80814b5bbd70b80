using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Kafka;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Publishes what the outbox holds (docs/protocol.md, "Events"): claims due events in write order
/// (skipping rows another silo's relay holds), sends them with the idempotent producer, and deletes
/// those the broker acknowledged. Several claims are at the broker at once: the next
/// claim is read while the producer batches and sends the one before, and each is settled (one
/// statement) when its last delivery report is in. With no broker reachable, nothing is lost: the
/// rows wait and the relay backs off. An event the broker refuses for itself (too large,
/// malformed) waits its own back-off while the rest go on, and after KAFKA_PERMANENT_FAILURE_ATTEMPTS
/// refusals goes to its topic's dead-letter topic (<see cref="OutboxDeadLetters"/>) and leaves the
/// outbox. A crash between sending and settling releases the claim's
/// rows, and they are sent again; consumers deduplicate by event id. It starts once the topics are
/// settled, so that no send auto-creates a topic with the broker's default partition count.
/// </summary>
public sealed partial class OutboxRelay(
    OutboxBacklog outbox,
    KafkaProducer producer,
    OutboxDeadLetters deadLetters,
    TopicProvisioner topics,
    RelayStatus status,
    CodegenEventJournal codegenEvents,
    IOptions<OutboxRelayOptions> relayOptions,
    TimeProvider clock,
    ILogger<OutboxRelay> log) : BackgroundService
{
    static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(1);

    /// <summary>How many claims in a row may start after the claims in flight before one starts from the beginning again.</summary>
    const int ClaimsAfterInFlight = 3;
    readonly OutboxRelayOptions options = relayOptions.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stopping = stoppingToken;
        try
        {
            await topics.Settled.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var sending = new Queue<Task<Settled>>();
        var backoff = FirstBackoff;
        var nextCleanup = clock.GetUtcNow();
        var (newest, startedAfter) = (0L, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // A claim read while others are at the broker starts after the newest of them: from the start it would
                // step over every row they hold (bench/README.md, "Claims after the claims in flight"). Every
                // ClaimsAfterInFlight-th claim, and the first once all are settled, starts from the beginning, so a row
                // behind them (a retry come due, a write that committed late) waits a few claims at most.
                var after = sending.Count > 0 && startedAfter < ClaimsAfterInFlight ? newest : 0;
                startedAfter = after > 0 ? startedAfter + 1 : 0;
                var claim = await outbox.ClaimAsync(options.BatchSize, after, stopping);
                // A short claim means the outbox is drained: see every claim out before looking again.
                var drained = claim.Events.Count < options.BatchSize;
                if (claim.Events.Count > 0)
                {
                    // The last claim's end, not the highest in flight: after a claim from the start, the next ones
                    // follow it (and step over what the others hold once more), which keeps rows closer to write order.
                    newest = claim.LastPosition;
                    sending.Enqueue(PublishAsync(claim));
                }
                else await claim.DisposeAsync();
                var brokerAway = false;
                while (sending.Count > 0 && (drained || sending.Count >= options.ClaimsInFlight))
                {
                    brokerAway |= await sending.Dequeue() is { Published: 0, Failed: > 0 };
                }
                if (brokerAway)
                {
                    await SettleAllAsync(sending);
                    await Task.Delay(backoff, clock, stopping);
                    backoff = Doubled(backoff);
                    continue;
                }
                backoff = FirstBackoff;
                if (clock.GetUtcNow() >= nextCleanup)
                {
                    nextCleanup = clock.GetUtcNow() + CleanupEvery;
                    await outbox.DeleteExpiredAsync(options.Retention, stopping);
                }
                if (drained) await Task.Delay(options.IdleDelay, clock, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database is unreachable (or a bug): what was not settled stays in the outbox.
                await SettleAllAsync(sending);
                LogRelayFailed(log, backoff.TotalSeconds, e);
                await Task.Delay(backoff, clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = Doubled(backoff);
            }
        }
        // Not cut short by shutdown: claims at the broker finish (or time out) and are settled.
        await SettleAllAsync(sending);
    }

    /// <summary>The next wait after <paramref name="backoff"/>: twice as long, up to the most allowed.</summary>
    TimeSpan Doubled(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));

    /// <summary>How one claim went: events the broker acknowledged, those it did not take (not their fault), and those it refused for themselves.</summary>
    readonly record struct Settled(int Published, int Failed, int Refused);

    /// <summary>Waits for every claim still at the broker; the rows of one whose settlement failed are due again.</summary>
    async Task SettleAllAsync(Queue<Task<Settled>> sending)
    {
        while (sending.TryDequeue(out var claim))
        {
            try
            {
                await claim;
            }
            catch (Exception e)
            {
                LogSettlementFailed(log, e);
            }
        }
    }

    /// <summary>
    /// One claim: sends it all, then settles it. An event refused for itself for the
    /// KAFKA_PERMANENT_FAILURE_ATTEMPTS-th time goes to its dead-letter topic first, and leaves the
    /// outbox once that topic has it.
    /// </summary>
    async Task<Settled> PublishAsync(OutboxClaim held)
    {
        await using var _ = held;
        var claim = held.Events;
        var (answers, positions) = await SendAsync(claim);
        var published = new List<Guid>(claim.Count);
        var guarded = new List<Guid>(claim.Count);
        List<(Guid, string)> failed = [], refused = [], deadLettered = [];
        for (var i = 0; i < claim.Count; i++)
        {
            var pending = claim[i];
            if (answers[i] is not { } answer)
            {
                published.Add(pending.EventId);
                if (pending.EventType != EventEnvelopes.StampCreatedType) guarded.Add(pending.EventId);
                // The sessions' status events join event_logs once the broker has them (docs/codegen-events.md, "event_logs").
                if (pending.Topic == CodegenTopics.Status) codegenEvents.RecordStatus(pending.EventId, Encoding.UTF8.GetString(pending.Envelope), positions[i]);
            }
            else if (!answer.ForItself) failed.Add((pending.EventId, answer.Error));
            else if (pending.Refusals + 1 < options.PermanentFailureAttempts) refused.Add((pending.EventId, answer.Error));
            else if (await deadLetters.SendAsync(pending, answer.Error) is { } notTaken) failed.Add((pending.EventId, $"{answer.Error}; its dead letter was not written: {notTaken}"));
            else deadLettered.Add((pending.EventId, answer.Error));
        }
        // When some went and some did not, those not taken wait their turn. When none went and
        // some were not taken for a reason outside them, the broker is away: the relay waits instead.
        await held.SettleAsync(new Settlement { Published = published, Guarded = guarded, Failed = failed, Refused = refused, DeadLettered = deadLettered },
            backOff: published.Count > 0, CancellationToken.None);
        // Dead letters are settled (they leave the outbox and are logged as they go): only what waits is reported.
        var notPublished = failed.Concat(refused).ToList();
        if (notPublished.Count > 0)
        {
            status.Failed(notPublished[0].Item2);
            LogNotPublished(log, notPublished.Count, claim.Count, notPublished[0].Item2);
        }
        else
        {
            status.Sent();
        }
        return new Settled(published.Count, failed.Count, refused.Count + deadLettered.Count);
    }

    /// <summary>Why the broker or the client did not take an event, as the outbox records it, and whether it refused the event for itself.</summary>
    readonly record struct Refusal(string Error, bool ForItself)
    {
        public static Refusal Of(Error error) => new($"{error.Code}: {error.Reason}", OutboxDeadLetters.RefusesForItself(error.Code));
    }

    /// <summary>
    /// Queues every event of the claim at the producer, each as a span of the request that wrote it,
    /// and completes when the broker has answered for all of them: null for each delivered, else why not; and where each delivered one went.
    /// </summary>
    Task<(Refusal?[] Answers, TopicPartitionOffset?[] Positions)> SendAsync(IReadOnlyList<PendingEvent> claim)
    {
        var answers = new Refusal?[claim.Count];
        var positions = new TopicPartitionOffset?[claim.Count];
        var outstanding = claim.Count;
        var answered = new TaskCompletionSource<(Refusal?[], TopicPartitionOffset?[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Answer(int index, Refusal? refusal, Activity? span, TopicPartitionOffset? position = null)
        {
            positions[index] = position;
            if (refusal is { } refused)
            {
                answers[index] = refused;
                span?.SetStatus(ActivityStatusCode.Error, refused.Error);
            }
            span?.Dispose();
            if (Interlocked.Decrement(ref outstanding) == 0) answered.SetResult((answers, positions));
        }
        for (var i = 0; i < claim.Count; i++)
        {
            var index = i;
            var span = EventTracing.StartPublish(claim[i]);
            try
            {
                producer.Produce(claim[i].Topic, OutboxMessage.Of(claim[i], span),
                    report => Answer(index, report.Error.IsError ? Refusal.Of(report.Error) : null, span, report.TopicPartitionOffset));
            }
            catch (Exception e)
            {
                // Not even queued (too large, the queue full, a producer failed for good).
                Answer(index, e is KafkaException refused ? Refusal.Of(refused.Error) : new Refusal(e.Message, ForItself: false), span);
            }
        }
        return answered.Task;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay: {Failed} of {Claimed} events not published ({Reason}); they stay in the outbox")]
    static partial void LogNotPublished(ILogger logger, int failed, int claimed, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay: a claim was sent but not settled; its events are sent again")]
    static partial void LogSettlementFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying in {Seconds} s")]
    static partial void LogRelayFailed(ILogger logger, double seconds, Exception error);
}
