using OmniBridge.Silo.Memory;

namespace OmniBridge.Tests.Silo.Memory;

/// <summary>The buffer both run-signal queues keep their signals in: bounded, read in order, a read waits for an item.</summary>
public sealed class ParkedBufferTests
{
    [Fact]
    public async Task A_full_buffer_drops_its_oldest_items_and_counts_them()
    {
        var buffer = new ParkedBuffer<int>(3);

        var kept = Enumerable.Range(1, 5).Select(buffer.Enqueue).ToList();

        Assert.Equal([true, true, true, false, false], kept);
        Assert.Equal(2, buffer.Dropped);
        Assert.Equal([3, 4, 5], await buffer.ReadAsync(-1, TimeSpan.FromMinutes(5)));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task A_cancelled_read_answers_empty_at_once()
    {
        var buffer = new ParkedBuffer<int>(3);
        using var cancel = new CancellationTokenSource();
        var read = buffer.ReadAsync(10, TimeSpan.FromMinutes(5), cancel.Token);
        Assert.False(read.IsCompleted);

        await cancel.CancelAsync();

        Assert.Empty(await read.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_cancelled_read_takes_nothing_and_leaves_what_is_queued_for_the_next_read()
    {
        var buffer = new ParkedBuffer<int>(10);
        buffer.Enqueue(1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Empty(await buffer.ReadAsync(10, TimeSpan.FromMinutes(5), cancelled.Token));

        Assert.Equal(1, buffer.Count);
        Assert.Equal([1], await buffer.ReadAsync(10, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Every_parked_read_wakes_and_each_item_is_taken_once()
    {
        var buffer = new ParkedBuffer<int>(100);
        var reads = Enumerable.Range(0, 4).Select(_ => buffer.ReadAsync(-1, TimeSpan.FromMinutes(5))).ToList();

        for (var i = 0; i < 10; i++) buffer.Enqueue(i);
        var taken = (await Task.WhenAll(reads).WaitAsync(TimeSpan.FromMinutes(1))).SelectMany(r => r).ToList();
        taken.AddRange(await buffer.ReadAsync(-1, TimeSpan.Zero));

        Assert.Equal(Enumerable.Range(0, 10), taken.Order());
    }
}
