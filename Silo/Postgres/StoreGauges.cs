using System.Diagnostics.Metrics;
using Npgsql;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Depths only the database knows (docs/architecture.md, "Observability"), read every 15 s and reported as gauges: events
/// waiting in the outbox, stamps waiting for their reducer, and workflows in each state.
/// </summary>
public sealed partial class StoreGauges : BackgroundService
{
    public const string MeterName = "OmniBridge.Silo";
    static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    readonly NpgsqlDataSource database;
    readonly ILogger<StoreGauges> log;
    volatile Snapshot latest = new(0, 0, []);

    sealed record class Snapshot(long Outbox, long Backlog, IReadOnlyList<(string State, long Count)> Workflows);

    public StoreGauges(NpgsqlDataSource database, IMeterFactory meters, ILogger<StoreGauges> log)
    {
        (this.database, this.log) = (database, log);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("omnibridge.outbox.pending", () => latest.Outbox, description: "Events in event_outbox not yet published");
        meter.CreateObservableGauge("omnibridge.reducer.backlog", () => latest.Backlog, description: "Stamps not yet folded into their namespace's aggregates");
        meter.CreateObservableGauge("omnibridge.workflows", () => latest.Workflows.Select(w => new Measurement<long>(w.Count, new KeyValuePair<string, object?>("state", w.State))),
            description: "Workflows by state, as the journal has them");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                latest = await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotRead(log, e);
            }
            await Task.Delay(Every, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM event_outbox WHERE published_at IS NULL"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM reducer_backlog"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT state, count(*) FROM workflow_executions GROUP BY state"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var outbox = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var backlog = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var workflows = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken)) workflows.Add((reader.GetString(0), reader.GetInt64(1)));
        return new Snapshot(outbox, backlog, workflows);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Store gauges not read")]
    static partial void LogNotRead(ILogger logger, Exception error);
}
