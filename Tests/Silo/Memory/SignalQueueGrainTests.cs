using Microsoft.Extensions.Logging.Abstractions;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Memory;

/// <summary>
/// A cluster's run-signal queue, called as Orleans calls it (grain calls on a real silo): a read waits in the grain for
/// a publication instead of answering empty at once, so the reading silo does not have to ask hundreds of times a second.
/// </summary>
public sealed class SignalQueueGrainTests(SiloApp silo) : IClassFixture<SiloApp>
{
    static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    static QueuedSignals Signals(Guid run, params string[] events) =>
        new() { StreamId = StreamId.Create(RunSignals.Namespace, run), Events = [.. events] };

    ISignalQueueGrain Queue() => silo.Grains.GetGrain<ISignalQueueGrain>($"test-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_parked_read_is_answered_by_a_publication_made_while_it_waits()
    {
        var queue = Queue();
        var run = Guid.NewGuid();
        var read = queue.ReadAsync(100, Long);
        await Task.Delay(200);
        Assert.False(read.IsCompleted);   // nothing queued: the read waits (for minutes here) rather than answering empty

        await queue.EnqueueAsync(Signals(run, "agent_initialized", "agent_completed")).WaitAsync(TimeSpan.FromSeconds(30));

        var taken = Assert.Single(await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StreamId.Create(RunSignals.Namespace, run), taken.StreamId);
        Assert.Equal(["agent_initialized", "agent_completed"], taken.Events);
    }

    [Fact]
    public async Task What_is_queued_is_read_at_once_in_order_within_the_count_asked_for()
    {
        var queue = Queue();
        var run = Guid.NewGuid();
        for (var i = 1; i <= 5; i++) await queue.EnqueueAsync(Signals(run, $"signal {i}"));

        var first = await queue.ReadAsync(3, Long).WaitAsync(TimeSpan.FromSeconds(30));
        var rest = await queue.ReadAsync(-1, Long).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["signal 1", "signal 2", "signal 3"], first.SelectMany(s => s.Events));
        Assert.Equal(["signal 4", "signal 5"], rest.SelectMany(s => s.Events));
    }

    [Fact]
    public async Task A_read_with_nothing_published_answers_empty_after_its_park()
    {
        Assert.Empty(await Queue().ReadAsync(100, TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_reader_cancelling_ends_its_parked_read()
    {
        var queue = Queue();
        using var cancel = new CancellationTokenSource();
        var read = queue.ReadAsync(100, Long, cancel.Token);
        await Task.Delay(200);

        await cancel.CancelAsync();

        // Either answer ends the read now: empty from the grain, or the call's own cancellation.
        var ended = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(read, ended);
        try
        {
            Assert.Empty(await read);
        }
        catch (OperationCanceledException)
        {
        }

        // What is published afterwards waits for the next reader.
        var run = Guid.NewGuid();
        await queue.EnqueueAsync(Signals(run, "stage_completed"));
        Assert.Equal(["stage_completed"], (await queue.ReadAsync(100, Long).WaitAsync(TimeSpan.FromSeconds(30))).SelectMany(s => s.Events));
    }

    [Fact]
    public async Task The_adapter_s_reader_takes_what_was_published_numbered_in_order_and_stops_when_the_agent_cancels()
    {
        var adapter = new SignalQueueAdapter($"test-{Guid.NewGuid():N}", silo.Grains, NullLoggerFactory.Instance, Long);
        var queueId = adapter.GetStreamQueueMapper().GetAllQueues().Single();
        var receiver = adapter.CreateReceiver(queueId);
        var run = StreamId.Create(RunSignals.Namespace, Guid.NewGuid());
        var recipients = new List<string> { "c1" };

        var parked = receiver.GetQueueMessagesAsync(-1, CancellationToken.None);
        await adapter.QueueMessageBatchAsync(run, new object[] { "stage_completed", recipients }, null, null);
        recipients.Add("c2");   // the publisher's own object: what was queued is a copy
        await adapter.QueueMessageBatchAsync(run, new object[] { "agent_initialized" }, null, null);
        var batches = (await parked.WaitAsync(TimeSpan.FromSeconds(30))).ToList();
        if (batches.Count < 2) batches.AddRange(await receiver.GetQueueMessagesAsync(-1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(run, b.StreamId));
        Assert.Equal(["stage_completed", "agent_initialized"], batches.SelectMany(b => b.GetEvents<string>()).Select(e => e.Item1));
        Assert.Equal(["c1"], batches[0].GetEvents<List<string>>().Single().Item1);
        Assert.True(batches[0].SequenceToken.CompareTo(batches[1].SequenceToken) < 0);

        using var stop = new CancellationTokenSource();
        var waiting = receiver.GetQueueMessagesAsync(-1, stop.Token);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);   // parked in the grain (for minutes here)
        await stop.CancelAsync();
        Assert.Empty(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_reader_whose_read_fails_answers_empty_instead_of_throwing()
    {
        // Thrown, a read makes Orleans' agent wait 10 s or more before it reads again: signals would stall that long.
        var receiver = new SignalQueueReceiver(new FailingQueue(), Long, NullLogger.Instance);

        Assert.Empty(await receiver.GetQueueMessagesAsync(-1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    sealed class FailingQueue : ISignalQueueGrain
    {
        public Task EnqueueAsync(QueuedSignals signals) => Task.CompletedTask;

        public Task<List<QueuedSignals>> ReadAsync(int maxCount, TimeSpan park, CancellationToken cancellation = default) =>
            Task.FromException<List<QueuedSignals>>(new TimeoutException("the queue's silo did not answer"));
    }
}
