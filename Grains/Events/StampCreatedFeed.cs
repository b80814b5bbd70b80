using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Concurrency;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Stamping;
using Orleans.Streams;

namespace OmniBridge.Grains.Events;

/// <summary>
/// Puts the stamp-created events of concurrent calls on the in-memory streams together
/// (docs/architecture.md, "Events"): a call hands over its records and waits for them to be taken;
/// two publishers each take everything handed over meanwhile and put each namespace's share on its
/// stream as one batch. Under load a stream enqueue (a grain call and a copy) then carries many
/// stamps instead of one; a lone stamp goes at once. At most <see cref="Capacity"/> calls wait: past
/// that (a stream that stopped answering) a call's events are refused at once rather than held in
/// memory, and the reducer folds those records from the store.
/// </summary>
public sealed class StampCreatedFeed : IAsyncDisposable
{
    /// <summary>Calls whose events may wait to be published at once.</summary>
    public const int Capacity = 10_000;

    const int Publishers = 2;
    readonly IServiceProvider services;
    readonly Channel<Handover> pending = Channel.CreateBounded<Handover>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });
    readonly Task[] publishers;

    public StampCreatedFeed(IServiceProvider services)
    {
        this.services = services;
        publishers = Gathering.Start(pending.Reader, Publishers, Limits.BatchItems, h => h.Records.Count, PublishAsync);
    }

    IStreamProvider Streams => services.GetRequiredKeyedService<IStreamProvider>(StampStreams.Provider);

    /// <summary>Completes when the events of <paramref name="created"/> are on their streams.</summary>
    /// <exception cref="InvalidOperationException">Too many calls are already waiting.</exception>
    public Task PublishAsync(IReadOnlyList<StampRecord> created)
    {
        if (created.Count == 0) return Task.CompletedTask;
        var handover = new Handover(created);
        return pending.Writer.TryWrite(handover)
            ? handover.Published.Task
            : Task.FromException(new InvalidOperationException($"{Capacity} calls are already waiting to publish their stamp-created events"));
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await Task.WhenAll(publishers);
    }

    async Task PublishAsync(List<Handover> group)
    {
        try
        {
            await StampEvents.PublishCreatedAsync(Streams, group.SelectMany(h => h.Records));
            foreach (var handover in group) handover.Published.TrySetResult();
        }
        catch (Exception e)
        {
            foreach (var handover in group) handover.Published.TrySetException(e);
        }
    }

    sealed record class Handover(IReadOnlyList<StampRecord> Records)
    {
        public TaskCompletionSource Published { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
