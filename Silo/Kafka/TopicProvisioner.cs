using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;

namespace OmniBridge.Silo.Kafka;

/// <summary>How the silo sets up its topics.</summary>
public sealed class TopicOptions
{
    /// <summary>How long a broker has to create missing topics before the silo goes on without (auto-creation, or its operator).</summary>
    public TimeSpan CreateTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the silo asks again while no broker answers.</summary>
    public TimeSpan RetryEvery { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Creates the event topics and their <c>.dlq</c> twins (docs/protocol.md, "Events") with KAFKA_TOPIC_PARTITIONS when
/// a broker first answers, and says loudly if the stamp-created topic has another count than the
/// reducers read. Topics that exist are left alone; a broker that will not create them (policy,
/// permissions, no controller) is left to its operator. The relay waits for this to settle, so
/// that its first send does not auto-create a topic with the broker's default partition count.
/// </summary>
public sealed partial class TopicProvisioner(KafkaClients clients, EventEnvelopes envelopes, IOptions<TopicOptions> topicOptions, TimeProvider clock,
    ILogger<TopicProvisioner> log) : BackgroundService
{
    static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);
    readonly TopicOptions options = topicOptions.Value;
    readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    bool told;

    /// <summary>The topics as the service names them, dead-letter twins included, and the code generation topics.</summary>
    public IReadOnlyList<string> Topics { get; } = [.. envelopes.Topics.All.SelectMany(t => new[] { t, EventTopics.DeadLetter(t) }), .. CodegenTopics.All];

    /// <summary>Completes once a broker has answered and the topics are as good as the silo can make them.</summary>
    public Task Settled => settled.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await TryEnsureAsync(stoppingToken))
            {
                settled.TrySetResult();
                return;
            }
            await Task.Delay(options.RetryEvery, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One attempt; true once a broker has answered. Never throws for the broker's sake.</summary>
    async Task<bool> TryEnsureAsync(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(clients.Admin("omnibridge-topics")).SetLogHandler((_, _) => { }).Build();
        Metadata metadata;
        try
        {
            metadata = await Task.Run(() => admin.GetMetadata(MetadataTimeout), cancellationToken);
        }
        catch (KafkaException e)
        {
            NotYet(e.Error.Reason);
            return false;
        }
        if (metadata.Brokers.Count == 0)
        {
            NotYet("no broker in the metadata");
            return false;
        }

        var existing = metadata.Topics.Where(t => !t.Error.IsError).ToDictionary(t => t.Topic, t => t.Partitions.Count);
        var partitions = clients.Settings.TopicPartitions;
        var missing = Topics.Where(t => !existing.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(
                    missing.Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = -1 }),
                    new CreateTopicsOptions { RequestTimeout = options.CreateTimeout, OperationTimeout = options.CreateTimeout });
                LogCreated(log, missing.Count, partitions);
            }
            catch (CreateTopicsException e)
            {
                foreach (var refused in e.Results.Where(r => r.Error.Code is not (Confluent.Kafka.ErrorCode.NoError or Confluent.Kafka.ErrorCode.TopicAlreadyExists)))
                    LogNotCreated(log, refused.Topic, refused.Error.Reason);
            }
            catch (KafkaException e)
            {
                LogCannotCreate(log, missing.Count, e.Error.Reason);
            }
        }

        var stampCreated = envelopes.Topics.StampCreated;
        if (existing.TryGetValue(stampCreated, out var count) && count != partitions) LogPartitionMismatch(log, stampCreated, count, partitions);
        return true;
    }

    /// <summary>Said once at information level, then at debug: a broker may take a while.</summary>
    void NotYet(string reason)
    {
        if (told) LogNotYetAgain(log, reason);
        else LogNotYet(log, reason);
        told = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} Kafka topics with {Partitions} partitions")]
    static partial void LogCreated(ILogger logger, int count, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka topic {Topic} was not created: {Reason}")]
    static partial void LogNotCreated(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Kafka topics are missing and the broker did not create them ({Reason}): they appear at the first event if the broker creates topics on use, with its own partition count; create them with KAFKA_TOPIC_PARTITIONS partitions")]
    static partial void LogCannotCreate(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No Kafka broker answered yet ({Reason}); events wait in the outbox")]
    static partial void LogNotYet(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No Kafka broker answered yet ({Reason})")]
    static partial void LogNotYetAgain(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka topic {Topic} has {Actual} partitions but KAFKA_TOPIC_PARTITIONS is {Configured}: reducers read only partitions below {Configured} (the store sweep still counts the rest); set KAFKA_TOPIC_PARTITIONS to the topic's count on every silo")]
    static partial void LogPartitionMismatch(ILogger logger, string topic, int actual, int configured);
}
