using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Grains.Workflows;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Hosting;
using OmniBridge.Silo.Memory;
using OmniBridge.Silo.Postgres;
using OmniBridge.Silo.Transparency;
using OmniBridge.Tests.Fixtures;
using Orleans.TestingHost;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// docs/architecture.md, "Workflows": a silo that dies mid-workflow loses nothing. Two silos on PostgreSQL; the one running
/// the workflow is killed right after its stamps were written but before it saved that it wrote
/// them; the other silo's reminder resumes the workflow, which completes with one record per item.
/// </summary>
public sealed class WorkflowFailoverTests
{
    /// <summary>Writes, then never returns and tells the test which silo it was on: a crash between storing and saving.</summary>
    sealed class TrapDoor
    {
        public TaskCompletionSource<SiloAddress> Sprung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int armed = 1;

        public bool Spring() => Interlocked.Exchange(ref armed, 0) == 1;
    }

    sealed class TrappedStore(PostgresStampStore inner, ILocalSiloDetails silo, TrapDoor trap) : IStampStore
    {
        public async Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default)
        {
            var stored = await inner.AddBatchAsync(records, events, cancellationToken);
            if (records[0].WorkflowId is not null && trap.Spring())
            {
                trap.Sprung.SetResult(silo.SiloAddress);
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
            }
            return stored;
        }

        public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) => inner.AddAsync(record, events, cancellationToken);
        public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) => inner.FindAsync(namespaceName, fileHash, cancellationToken);
        public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) => inner.ListAsync(namespaceName, limit, after, cancellationToken);
    }

    [Fact]
    public async Task The_workflow_of_a_killed_silo_completes_on_the_other_with_one_record_per_item()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var postgres = PostgresSettings.From(new ConfigurationBuilder().AddInMemoryCollection(
            database.Settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build())!;
        var trap = new TrapDoor();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddOmniBridgeDatabase(postgres);
            silo.AddOmniBridgePostgresStorage().AddOmniBridgeMemoryStreams().AddOmniBridgeGrains(new StampingSettings()).AddOmniBridgeTransparencyLog(new TransparencySettings { Enabled = false });
            silo.Services.AddSingleton<PostgresStampStore>();
            silo.Services.AddSingleton<IStampStore>(sp => new TrappedStore(sp.GetRequiredService<PostgresStampStore>(), sp.GetRequiredService<ILocalSiloDetails>(), trap));
            silo.Services.Configure<WorkflowOptions>(o => o.ResumeEvery = TimeSpan.FromSeconds(2));
            // No store sweep: the reducer's count below must come from the events the rerun published.
            silo.Services.Configure<ReducerOptions>(o => o.SweepEvery = Timeout.InfiniteTimeSpan);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        const string ns = "pg.failover";
        var workflowId = Guid.NewGuid();
        string[] texts = ["first", "second", "third", "first"];
        await cluster.Client.GetGrain<IWorkflowGrain>(workflowId).StartAsync(new WorkflowRequest
        {
            Namespace = ns,
            Items = [.. texts.Select(t => new StampCommand { Namespace = ns, Text = t })],
        });

        var doomed = await trap.Sprung.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'"));
        await cluster.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.Equals(doomed)));

        // Nobody asks the grain: only its reminder can bring it back, on the surviving silo.
        await Eventually.TrueAsync(async () => await State(database, workflowId) == "completed", "the workflow completes on the other silo", TimeSpan.FromSeconds(90));

        Assert.Equal(3L, await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'"));
        var view = await cluster.Client.GetGrain<IWorkflowGrain>(workflowId).GetAsync();
        Assert.Equal(WorkflowPhase.Completed, view.State);
        Assert.Equal(4, view.Results!.Count);
        Assert.Equal(view.Results[0].StampId, view.Results[3].StampId);
        Assert.Equal(2L, await database.ScalarAsync<long>($"SELECT count(*) FROM fsm_transitions WHERE workflow_id = '{workflowId}'"));

        // The rerun knew the records the dead silo wrote were its own, and published their events:
        // the reducer, which never sweeps here, counts each of the three once.
        var reducer = cluster.Client.GetGrain<INamespaceReducerGrain>(ns);
        await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps == 3, "the reducer counts three stamps");
    }

    static async Task<string?> State(PostgresDatabase database, Guid workflowId)
    {
        await using var command = database.Data.CreateCommand("SELECT state FROM workflow_executions WHERE workflow_id = @id");
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", workflowId));
        return await command.ExecuteScalarAsync() as string;
    }
}
