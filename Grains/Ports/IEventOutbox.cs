using OmniBridge.Grains.Events;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Events whose effect is not a stored row (a validation) go to the outbox on their own; the relay
/// publishes them like the rest. Events with an effect are written by the store of that effect.
/// </summary>
public interface IEventOutbox
{
    Task AddAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>No outbox: events are not published (no broker configured).</summary>
public sealed class NoEventOutbox : IEventOutbox
{
    public Task AddAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
