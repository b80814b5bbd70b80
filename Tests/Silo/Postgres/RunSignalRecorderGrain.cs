using Npgsql;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using Orleans.Streams;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>A grain that subscribes to the signals of the run of its own id and writes each one it receives, with its silo, to the test database.</summary>
public interface IRunSignalRecorderGrain : IGrainWithGuidKey
{
    Task SubscribeAsync();
}

public sealed class RunSignalRecorderGrain(NpgsqlDataSource database, ILocalSiloDetails silo) : Grain, IRunSignalRecorderGrain
{
    public const string Table = "run_signal_receipts";

    IAsyncStream<RunSignal> Stream => this.GetStreamProvider(RunSignals.Provider).GetStream<RunSignal>(StreamId.Create(RunSignals.Namespace, this.GetPrimaryKey()));

    /// <summary>An explicit subscription outlives the activation: a later activation (on any silo) takes its handles up again.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var handle in await Stream.GetAllSubscriptionHandles()) await handle.ResumeAsync(RecordAsync);
    }

    public async Task SubscribeAsync()
    {
        if ((await Stream.GetAllSubscriptionHandles()).Count == 0) await Stream.SubscribeAsync(RecordAsync);
    }

    async Task RecordAsync(RunSignal signal, StreamSequenceToken? token)
    {
        await using var command = database.CreateCommand($"INSERT INTO {Table} (run_id, seq, silo) VALUES (@run, @seq, @silo)");
        command.Parameters.AddWithValue("run", this.GetPrimaryKey());
        command.Parameters.AddWithValue("seq", signal.Seq);
        command.Parameters.AddWithValue("silo", silo.SiloAddress.ToString());
        await command.ExecuteNonQueryAsync();
    }
}
