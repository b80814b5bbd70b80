using Npgsql;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Outbox;

/// <summary>Events without a stored effect of their own (validations) go straight into event_outbox.</summary>
public sealed class PostgresEventOutbox(NpgsqlDataSource database) : IEventOutbox
{
    public Task AddAsync(IReadOnlyList<OutboxEvent> events, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            if (events.Count == 0) return true;
            await using var batch = database.CreateBatch();
            batch.BatchCommands.Add(OutboxRows.Insert(events));
            await batch.ExecuteNonQueryAsync(deadline);
            return true;
        }, cancellationToken);
}
