using System.Diagnostics;
using Confluent.Kafka;
using OmniBridge.Api.Health;
using OmniBridge.Silo.Outbox;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Kafka is healthy when a broker answers a metadata request within 2 seconds and the relay's last
/// batch went. Otherwise it is degraded, not unhealthy: stamps are still accepted and their events
/// wait in the outbox, so a broker outage never takes the service out of its load balancer.
/// </summary>
public sealed class KafkaProbe(KafkaClients clients, OutboxBacklog outbox, RelayStatus relay) : IDependencyProbe, IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    readonly Lazy<IAdminClient> admin = new(() => new AdminClientBuilder(clients.Admin("omnibridge-health")).SetLogHandler((_, _) => { }).Build());

    public string Component => "kafka";

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var reachable = await Task.Run(() =>
        {
            try
            {
                return admin.Value.GetMetadata(Timeout).Brokers.Count > 0;
            }
            catch (KafkaException)
            {
                return false;
            }
        }, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var (waiting, deadLetters) = await OutboxAsync(cancellationToken);
        var detail = string.Join("; ", new[] { waiting, DeadLettersDetail(deadLetters) }.Where(d => d is not null));
        if (!reachable)
            return new ProbeResult(ProbeResult.Degraded, elapsed, $"no broker answered within {Timeout.TotalSeconds:0} s; {waiting ?? "events wait in the outbox"}", deadLetters);
        // A broker answers, but sends still fail (authorization, a topic the broker refuses...).
        if (relay.Failure is { } failure)
            return new ProbeResult(ProbeResult.Degraded, elapsed, $"events are not being published: {failure}; {waiting ?? "events wait in the outbox"}", deadLetters);
        // Dead letters are events set aside, not a broker in trouble: they are counted, and Kafka stays healthy.
        return new ProbeResult(ProbeResult.Healthy, elapsed, detail.Length == 0 ? null : detail, deadLetters);
    }

    static string? DeadLettersDetail(long? count) =>
        count is > 0 ? $"{count} events refused by the broker went to dead-letter topics (kept in event_outbox until OUTBOX_RETENTION_HOURS)" : null;

    /// <summary>What waits in the outbox, and how many of its events went to dead-letter topics; nulls when the database cannot say.</summary>
    async Task<(string? Waiting, long? DeadLetters)> OutboxAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pending = await outbox.PendingAsync(cancellationToken);
            var deadLetters = await outbox.DeadLetteredAsync(cancellationToken);
            return (pending == 0 ? null : $"{pending} events wait in the outbox", deadLetters);
        }
        catch (Exception e) when (PostgresFailure.IsOutage(e))
        {
            return (null, null);
        }
    }

    public void Dispose()
    {
        if (admin.IsValueCreated) admin.Value.Dispose();
    }
}
