using Confluent.Kafka;
using Confluent.Kafka.Admin;
using OmniBridge.Grains.Events;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Creates the event topics and their <c>.dlq</c> twins (SPEC §7) with the configured partition
/// count when a broker first answers, and says loudly if the stamp-created topic has another
/// count than the reducers read. Topics that exist are left alone; a broker that refuses
/// creation (auto-creation, permissions) is left to its operator.
/// </summary>
public sealed partial class TopicProvisioner(KafkaClients clients, EventEnvelopes envelopes, TimeProvider clock, ILogger<TopicProvisioner> log)
{
    static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    DateTimeOffset nextTry = DateTimeOffset.MinValue;
    bool done;

    /// <summary>The topics as the service names them, dead-letter twins included.</summary>
    public IReadOnlyList<string> Topics { get; } = [.. envelopes.Topics.All.SelectMany(t => new[] { t, EventTopics.DeadLetter(t) })];

    /// <summary>Tries (at most every 30 s) until a broker has answered once. Never throws for the broker's sake.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (done || clock.GetUtcNow() < nextTry) return;
        nextTry = clock.GetUtcNow() + RetryEvery;
        using var admin = new AdminClientBuilder(clients.Admin("omnibridge-topics")).SetLogHandler((_, _) => { }).Build();
        var partitions = clients.Settings.TopicPartitions;
        try
        {
            await admin.CreateTopicsAsync(
                Topics.Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = -1 }),
                new CreateTopicsOptions { RequestTimeout = RequestTimeout, OperationTimeout = RequestTimeout });
        }
        catch (CreateTopicsException e)
        {
            foreach (var refused in e.Results.Where(r => r.Error.Code is not (Confluent.Kafka.ErrorCode.NoError or Confluent.Kafka.ErrorCode.TopicAlreadyExists)))
                LogNotCreated(log, refused.Topic, refused.Error.Reason);
        }
        catch (KafkaException e)
        {
            LogNoBroker(log, e.Error.Reason);
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();

        var stampCreated = envelopes.Topics.StampCreated;
        try
        {
            var metadata = await Task.Run(() => admin.GetMetadata(stampCreated, RequestTimeout), cancellationToken);
            var count = metadata.Topics.FirstOrDefault(t => t.Topic == stampCreated)?.Partitions.Count ?? 0;
            if (count != partitions) LogPartitionMismatch(log, stampCreated, count, partitions);
        }
        catch (KafkaException e)
        {
            LogNoBroker(log, e.Error.Reason);
            return;
        }
        done = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} was not created: {Reason}")]
    static partial void LogNotCreated(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka topics not checked yet, no broker answered: {Reason}; events wait in the outbox")]
    static partial void LogNoBroker(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka topic {Topic} has {Actual} partitions but KAFKA_TOPIC_PARTITIONS is {Configured}: reducers read only partitions below {Configured} (the store sweep still counts the rest); set KAFKA_TOPIC_PARTITIONS to the topic's count on every silo")]
    static partial void LogPartitionMismatch(ILogger logger, string topic, int actual, int configured);
}
