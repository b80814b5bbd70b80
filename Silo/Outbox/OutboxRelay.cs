using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Silo.Kafka;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Publishes what the outbox holds (docs/protocol.md, "Events"): claims due events in write order on a lease
/// (skipping rows another silo's relay is claiming), sends them with the idempotent producer, and
/// marks those the broker acknowledged as published. With no broker reachable, nothing is lost:
/// the rows wait and the relay backs off. A crash between sending and marking re-sends when the
/// lease ends; consumers deduplicate by event id. It starts once the topics are settled, so that
/// no send auto-creates a topic with the broker's default partition count.
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

    /// <summary>Longer than a send may take (the producer gives up after 30 s), so a claim never expires mid-send.</summary>
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
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
        var backoff = FirstBackoff;
        var nextCleanup = clock.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var (claimed, failed) = await RelayOnceAsync(stopping);
                if (claimed > 0 && failed == claimed)
                {
                    await Task.Delay(backoff, clock, stopping);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
                    continue;
                }
                backoff = FirstBackoff;
                if (clock.GetUtcNow() >= nextCleanup)
                {
                    nextCleanup = clock.GetUtcNow() + CleanupEvery;
                    await outbox.DeletePublishedAsync(options.Retention, stopping);
                }
                if (claimed < options.BatchSize) await Task.Delay(options.IdleDelay, clock, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is unreachable (or a bug): nothing was marked, so nothing is lost.
                LogRelayFailed(log, backoff.TotalSeconds, e);
                await Task.Delay(backoff, clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>One claim: sends it all, then settles it. Returns how many were claimed and how many no broker took.</summary>
    async Task<(int Claimed, int Failed)> RelayOnceAsync(CancellationToken stopping)
    {
        var claim = await outbox.ClaimAsync(options.BatchSize, Lease, stopping);
        if (claim.Count == 0) return (0, 0);

        var sends = claim.Select(SendAsync).ToList();
        try
        {
            await Task.WhenAll(sends);
        }
        catch (Exception)
        {
            // Each send's own outcome is read below.
        }

        var published = new List<Guid>(sends.Count);
        var failed = new List<(Guid, string)>();
        for (var i = 0; i < sends.Count; i++)
        {
            if (sends[i].IsCompletedSuccessfully) published.Add(claim[i].EventId);
            else failed.Add((claim[i].EventId, Reason(sends[i].Exception)));
        }
        // When some went and some did not, those refused are refused for themselves: they wait
        // their turn. When none went, the broker is away: the relay waits instead.
        await outbox.SettleAsync(published, failed, backOff: published.Count > 0, CancellationToken.None);
        if (failed.Count > 0)
        {
            status.Failed(failed[0].Item2);
            LogNotPublished(log, failed.Count, claim.Count, failed[0].Item2);
        }
        else
        {
            status.Sent();
        }
        return (claim.Count, failed.Count);
    }

    /// <summary>One event to the broker, as a span of the request that wrote it.</summary>
    async Task SendAsync(PendingEvent pending)
    {
        using var span = EventTracing.StartPublish(pending);
        var headers = new Headers
        {
            { "event_id", Encoding.UTF8.GetBytes(pending.EventId.ToString("D")) },
            { "event_type", Encoding.UTF8.GetBytes(pending.EventType) },
        };
        EventTracing.Propagate(headers, span, pending.TraceParent);
        try
        {
            // Not cancelled by shutdown: a send under way finishes (or times out), and is settled.
            await producer.ProduceAsync(pending.Topic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(pending.PartitionKey),
                Value = Encoding.UTF8.GetBytes(pending.Envelope),
                Headers = headers,
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    static string Reason(AggregateException? error) => error?.InnerException switch
    {
        ProduceException<byte[], byte[]> refused => $"{refused.Error.Code}: {refused.Error.Reason}",
        { } other => other.Message,
        null => "unknown",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay: {Failed} of {Claimed} events not published ({Reason}); they stay in the outbox")]
    static partial void LogNotPublished(ILogger logger, int failed, int claimed, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying in {Seconds} s")]
    static partial void LogRelayFailed(ILogger logger, double seconds, Exception error);
}
