using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Silo.Kafka;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Publishes what the outbox holds (docs/protocol.md, "Events"): claims due events in write order
/// (skipping rows another silo's relay holds), sends them with the idempotent producer, and marks
/// those the broker acknowledged as published. Several claims are at the broker at once: the next
/// claim is read while the producer batches and sends the one before, and each is settled (one
/// statement) when its last delivery report is in. With no broker reachable, nothing is lost: the
/// rows wait and the relay backs off. A crash between sending and marking releases the claim's
/// rows, and they are sent again; consumers deduplicate by event id. It starts once the topics are
/// settled, so that no send auto-creates a topic with the broker's default partition count.
/// </summary>
public sealed partial class OutboxRelay(
    OutboxBacklog outbox,
    KafkaProducer producer,
    TopicProvisioner topics,
    RelayStatus status,
    IOptions<OutboxRelayOptions> relayOptions,
    TimeProvider clock,
    ILogger<OutboxRelay> log) : BackgroundService
{
    static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    static readonly TimeSpan CleanupEvery = TimeSpan.FromMinutes(1);
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
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var claim = await outbox.ClaimAsync(options.BatchSize, stopping);
                // A short claim means the outbox is drained: see every claim out before looking again.
                var drained = claim.Events.Count < options.BatchSize;
                if (claim.Events.Count > 0) sending.Enqueue(PublishAsync(claim));
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
                    await outbox.DeletePublishedAsync(options.Retention, stopping);
                }
                if (drained) await Task.Delay(options.IdleDelay, clock, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database is unreachable (or a bug): what was not marked stays in the outbox.
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

    /// <summary>How one claim went: events the broker acknowledged, and those it did not take.</summary>
    readonly record struct Settled(int Published, int Failed);

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

    /// <summary>One claim: sends it all, then settles it.</summary>
    async Task<Settled> PublishAsync(OutboxClaim held)
    {
        await using var _ = held;
        var claim = held.Events;
        var errors = await SendAsync(claim);
        var published = new List<Guid>(claim.Count);
        var failed = new List<(Guid, string)>();
        for (var i = 0; i < claim.Count; i++)
        {
            if (errors[i] is { } error) failed.Add((claim[i].EventId, error));
            else published.Add(claim[i].EventId);
        }
        // When some went and some did not, those refused are refused for themselves: they wait
        // their turn. When none went, the broker is away: the relay waits instead.
        await held.SettleAsync(published, failed, backOff: published.Count > 0, CancellationToken.None);
        if (failed.Count > 0)
        {
            status.Failed(failed[0].Item2);
            LogNotPublished(log, failed.Count, claim.Count, failed[0].Item2);
        }
        else
        {
            status.Sent();
        }
        return new Settled(published.Count, failed.Count);
    }

    /// <summary>
    /// Queues every event of the claim at the producer, each as a span of the request that wrote it,
    /// and completes when the broker has answered for all of them: null for each delivered, else why not.
    /// </summary>
    Task<string?[]> SendAsync(IReadOnlyList<PendingEvent> claim)
    {
        var errors = new string?[claim.Count];
        var outstanding = claim.Count;
        var answered = new TaskCompletionSource<string?[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Answer(int index, string? error, Activity? span)
        {
            if (error is not null)
            {
                errors[index] = error;
                span?.SetStatus(ActivityStatusCode.Error, error);
            }
            span?.Dispose();
            if (Interlocked.Decrement(ref outstanding) == 0) answered.SetResult(errors);
        }
        for (var i = 0; i < claim.Count; i++)
        {
            var index = i;
            var pending = claim[i];
            var span = EventTracing.StartPublish(pending);
            var headers = new Headers
            {
                { "event_id", Encoding.UTF8.GetBytes(pending.EventId.ToString("D")) },
                { "event_type", Encoding.UTF8.GetBytes(pending.EventType) },
            };
            EventTracing.Propagate(headers, span, pending.TraceParent);
            try
            {
                producer.Produce(pending.Topic, new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(pending.PartitionKey),
                    Value = Encoding.UTF8.GetBytes(pending.Envelope),
                    Headers = headers,
                }, report => Answer(index, report.Error.IsError ? Describe(report.Error) : null, span));
            }
            catch (Exception e)
            {
                // Not even queued (too large, the queue full, a producer failed for good).
                Answer(index, e is KafkaException refused ? Describe(refused.Error) : e.Message, span);
            }
        }
        return answered.Task;
    }

    /// <summary>Why the broker or the client did not take an event, as the outbox records it.</summary>
    static string Describe(Error error) => $"{error.Code}: {error.Reason}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay: {Failed} of {Claimed} events not published ({Reason}); they stay in the outbox")]
    static partial void LogNotPublished(ILogger logger, int failed, int claimed, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay: a claim was sent but not settled; its events are sent again")]
    static partial void LogSettlementFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying in {Seconds} s")]
    static partial void LogRelayFailed(ILogger logger, double seconds, Exception error);
}
