using OmniBridge.Grains.Events;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// The outbox, for events whose effect is not a stored row (a validation, a generation's step):
/// they go in on their own, and the relay publishes them like the rest. Events with an effect are
/// written by the store of that effect, in its transaction. Only the outbox event path
/// (<see cref="Events.OutboxEventPath"/>) uses it.
/// </summary>
public interface IEventOutbox
{
    Task AddAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken = default);
}
