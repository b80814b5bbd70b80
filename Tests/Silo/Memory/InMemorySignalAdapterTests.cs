using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace OmniBridge.Tests.Silo.Memory;

/// <summary>The embedded default's run-signal queue as Orleans' pulling agent reads it: a read waits for a publication.</summary>
public sealed class InMemorySignalAdapterTests
{
    static readonly DeepCopier Copier = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>();
    static readonly StreamId Run = StreamId.Create("runs", Guid.NewGuid());

    static InMemorySignalAdapter Queue(TimeSpan park) => new("signals", Copier, NullLoggerFactory.Instance, park);

    static List<string> Texts(IBatchContainer batch) => [.. batch.GetEvents<string>().Select(e => e.Item1)];

    [Fact]
    public async Task A_parked_read_is_answered_by_the_next_publication_with_its_events()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));
        var read = queue.GetQueueMessagesAsync(100, CancellationToken.None);
        Assert.False(read.IsCompleted);   // nothing queued: the read waits (for minutes here) rather than answering empty

        await queue.QueueMessageBatchAsync(Run, ["agent_initialized", "agent_completed"], null, null);

        var batch = Assert.Single(await read);
        Assert.Equal(Run, batch.StreamId);
        Assert.Equal(["agent_initialized", "agent_completed"], Texts(batch));
    }

    [Fact]
    public async Task What_is_queued_is_read_at_once_in_order_within_the_count_asked_for()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));
        for (var i = 1; i <= 5; i++) await queue.QueueMessageBatchAsync(Run, [$"signal {i}"], null, null);

        var first = await queue.GetQueueMessagesAsync(3, CancellationToken.None);
        var rest = await queue.GetQueueMessagesAsync(100, CancellationToken.None);

        Assert.Equal(["signal 1", "signal 2", "signal 3", "signal 4", "signal 5"], first.Concat(rest).SelectMany(Texts));
        var tokens = first.Concat(rest).Select(b => b.SequenceToken).ToList();
        Assert.All(tokens.Zip(tokens.Skip(1)), pair => Assert.True(pair.First.CompareTo(pair.Second) < 0));
    }

    [Fact]
    public async Task A_read_with_nothing_published_answers_empty_after_its_park()
    {
        var queue = Queue(TimeSpan.FromMilliseconds(50));

        Assert.Empty(await queue.GetQueueMessagesAsync(100, CancellationToken.None));
    }

    [Fact]
    public async Task Shutting_down_ends_a_parked_read()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));
        var read = queue.GetQueueMessagesAsync(100, CancellationToken.None);

        await queue.Shutdown(TimeSpan.FromSeconds(1));

        Assert.Empty(await read.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task The_agent_cancelling_its_read_ends_it_at_once()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));
        using var stop = new CancellationTokenSource();
        var read = queue.GetQueueMessagesAsync(100, stop.Token);

        await stop.CancelAsync();

        Assert.Empty(await read.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task The_publisher_changing_its_events_afterwards_changes_nothing_delivered()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));
        var recipients = new List<string> { "c1" };
        await queue.QueueMessageBatchAsync(Run, [recipients], null, null);
        recipients.Add("c2");

        var delivered = Assert.Single((await queue.GetQueueMessagesAsync(100, CancellationToken.None)).Single().GetEvents<List<string>>()).Item1;
        Assert.Equal(["c1"], delivered);
    }

    [Fact]
    public void The_cache_and_the_queue_map_are_the_agent_s_one_queue()
    {
        var queue = Queue(TimeSpan.FromMinutes(5));

        Assert.Single(queue.GetStreamQueueMapper().GetAllQueues());
        Assert.IsType<SimpleQueueAdapterCache>(queue.GetQueueAdapterCache());
        Assert.Same(queue, queue.CreateReceiver(queue.GetStreamQueueMapper().GetQueueForStream(Run)));
    }
}

/// <summary>The embedded default's silo queues its run signals there.</summary>
public sealed class EmbeddedRunSignalStreamTests(SiloApp silo) : IClassFixture<SiloApp>
{
    [Fact]
    public void The_embedded_silo_s_run_signal_stream_is_the_in_memory_queue()
    {
        var adapter = silo.Services.GetRequiredKeyedService<IQueueAdapterFactory>(RunSignals.Provider);

        Assert.IsType<InMemorySignalAdapter>(adapter);
    }
}
