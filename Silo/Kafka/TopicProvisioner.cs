using Confluent.Kafka;
using Confluent.Kafka.Admin;
using OmniBridge.Grains.Events;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Creates the event topics and their <c>.dlq</c> twins (SPEC §7) with the configured partition
/// count once a broker answers, and says loudly if the stamp-created topic has another count than
/// the reducers read. Topics that exist are left alone; a broker that refuses creation (policy,
/// permissions) is left to its operator. It runs beside the relay and never holds it up: a broker
/// that auto-creates topics gets them from the first event anyway.
/// </summary>
public sealed partial class TopicProvisioner(KafkaClients clients, EventEnvelopes envelopes, TimeProvider clock, ILogger<TopicProvisioner> log) : BackgroundService
{
    static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    bool told;

    /// <summary>The topics as the service names them, dead-letter twins included.</summary>
    public IReadOnlyList<string> Topics { get; } = [.. envelopes.Topics.All.SelectMany(t => new[] { t, EventTopics.DeadLetter(t) })];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested && !await TryEnsureAsync(stoppingToken))
        {
            await Task.Delay(RetryEvery, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One attempt; true once a broker has answered. Never throws for the broker's sake.</summary>
    public async Task<bool> TryEnsureAsync(CancellationToken cancellationToken)
    {
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
            NotYet(e.Error.Reason);
            return false;
        }
        if (cancellationToken.IsCancellationRequested) return false;

        var stampCreated = envelopes.Topics.StampCreated;
        try
        {
            var metadata = await Task.Run(() => admin.GetMetadata(stampCreated, RequestTimeout), cancellationToken);
            var count = metadata.Topics.FirstOrDefault(t => t.Topic == stampCreated)?.Partitions.Count ?? 0;
            if (count != partitions) LogPartitionMismatch(log, stampCreated, count, partitions);
        }
        catch (KafkaException e)
        {
            NotYet(e.Error.Reason);
            return false;
        }
        return true;
    }

    /// <summary>Said once at information level, then at debug: a broker may take a while.</summary>
    void NotYet(string reason)
    {
        if (told) LogNotYetAgain(log, reason);
        else LogNotYet(log, reason);
        told = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} was not created: {Reason}")]
    static partial void LogNotCreated(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka topics not created yet ({Reason}); trying again every 30 s")]
    static partial void LogNotYet(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka topics not created yet ({Reason})")]
    static partial void LogNotYetAgain(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka topic {Topic} has {Actual} partitions but KAFKA_TOPIC_PARTITIONS is {Configured}: reducers read only partitions below {Configured} (the store sweep still counts the rest); set KAFKA_TOPIC_PARTITIONS to the topic's count on every silo")]
    static partial void LogPartitionMismatch(ILogger logger, string topic, int actual, int configured);
}
