using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Client.Configuration;
using OmniBridge.Grains;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;
using OmniBridge.Grains.Workflows;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Hosting;
using OmniBridge.Silo.Memory;
using OmniBridge.Silo.Transparency;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace OmniBridge.Tests.Cluster;

/// <summary>
/// Two silos on Orleans' in-process test host, wired as the silo wires itself, sharing one store so
/// calls landing on either silo meet the same records. Workflows run with short timings; the store
/// can be told to fail or stall for a namespace, the intelligence service to be slow or broken.
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public ScriptedStore Store { get; } = new();
    public ScriptedAnalyzer Analyzer { get; } = new();
    public ScriptedJournal Journal { get; } = new();
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>
    /// Short back-offs and resumes keep the tests quick; the budget and the intelligence deadline
    /// stay far above what a step takes on a loaded machine, so that only the tests that script a
    /// stall (longer still) ever reach them.
    /// </summary>
    public WorkflowOptions Timing => new()
    {
        ProcessingTimeout = ProcessingTimeout,
        FirstBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        IntelligenceTimeout = TimeSpan.FromSeconds(2),
        ResumeEvery = TimeSpan.FromSeconds(1),
    };

    /// <summary>The processing budget of every workflow on this cluster.</summary>
    protected virtual TimeSpan ProcessingTimeout => TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOmniBridgeMemoryStorage().AddOmniBridgeMemoryStreams().AddOmniBridgeGrains(new StampingSettings()).AddOmniBridgeTransparencyLog(new TransparencySettings { Enabled = false });
            silo.Services.AddSingleton<IStampStore>(Store);
            silo.Services.AddSingleton<INamespaceLedger>(Store);
            silo.Services.AddSingleton<IWorkflowJournal>(Journal);
            silo.Services.AddSingleton<IIntelligenceAnalyzer>(Analyzer);
            // Workflow state goes through storage that can be told to fail.
            silo.AddMemoryGrainStorage("unscripted");
            silo.Services.AddGrainStorage(StorageNames.Default, (sp, _) => new ScriptedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("unscripted")));
            var timing = Timing;
            silo.Services.Configure<WorkflowOptions>(o =>
            {
                o.ProcessingTimeout = timing.ProcessingTimeout;
                o.FirstBackoff = timing.FirstBackoff;
                o.MaxBackoff = timing.MaxBackoff;
                o.IntelligenceTimeout = timing.IntelligenceTimeout;
                o.ResumeEvery = timing.ResumeEvery;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The same cluster with a processing budget of two seconds, for the test that overruns it.</summary>
public sealed class TightBudgetClusterFixture : GrainClusterFixture
{
    protected override TimeSpan ProcessingTimeout => TimeSpan.FromSeconds(2);
}

/// <summary>The in-memory store, told per namespace to fail a number of times or to stall.</summary>
public sealed class ScriptedStore : IStampStore, INamespaceLedger
{
    readonly InMemoryStampStore inner = new();
    readonly ConcurrentDictionary<string, int> failuresLeft = new();

    /// <summary>Namespaces whose writes stall this long before going on.</summary>
    public ConcurrentDictionary<string, TimeSpan> Stall { get; } = new();

    /// <summary>Namespaces whose writes wait until their gate opens.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    /// <summary>The next <paramref name="times"/> writes to the namespace fail as if the database were down.</summary>
    public void FailNext(string ns, int times) => failuresLeft[ns] = times;

    public async Task<IReadOnlyList<StoredStamp>> AddBatchAsync(IReadOnlyList<StampRecord> records, StampOutboxEvents? events = null, CancellationToken cancellationToken = default)
    {
        var ns = records[0].Namespace;
        if (Stall.TryGetValue(ns, out var stall)) await Task.Delay(stall, CancellationToken.None);
        if (Gates.TryGetValue(ns, out var gate)) await gate.Task;
        if (failuresLeft.TryGetValue(ns, out var left) && left > 0 && failuresLeft.TryUpdate(ns, left - 1, left))
            throw new DependencyUnavailableException("postgres", "scripted outage");
        return await inner.AddBatchAsync(records, events, cancellationToken);
    }

    public Task<StoredStamp> AddAsync(StampRecord record, StampOutboxEvents? events = null, CancellationToken cancellationToken = default) => inner.AddAsync(record, events, cancellationToken);
    public Task<StampRecord?> FindAsync(string namespaceName, string fileHash, CancellationToken cancellationToken = default) => inner.FindAsync(namespaceName, fileHash, cancellationToken);
    public Task<StampPage> ListAsync(string namespaceName, int limit, StampCursor? after, CancellationToken cancellationToken = default) => inner.ListAsync(namespaceName, limit, after, cancellationToken);
    public Task<SavedTally> LoadAsync(string namespaceName, CancellationToken cancellationToken = default) => inner.LoadAsync(namespaceName, cancellationToken);

    public Task<SavedTally?> FoldAsync(string namespaceName, long version, IReadOnlyCollection<Guid>? stampIds, int limit,
        Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold, CancellationToken cancellationToken = default) =>
        inner.FoldAsync(namespaceName, version, stampIds, limit, fold, cancellationToken);
}

/// <summary>An intelligence service that answers, stalls or breaks, per namespace.</summary>
public sealed class ScriptedAnalyzer : IIntelligenceAnalyzer
{
    public ConcurrentDictionary<string, string> Behaviour { get; } = new();

    public bool IsConfigured => true;

    public async Task<IReadOnlyList<JsonObject?>> AnalyzeAsync(IReadOnlyList<StampCommand> items, CancellationToken cancellationToken)
    {
        switch (Behaviour.GetValueOrDefault(items[0].Namespace))
        {
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
                break;
            case "broken":
                throw new InvalidOperationException("the analysis service answered 500");
        }
        return [.. items.Select((item, i) => new JsonObject { ["language"] = "text", ["index"] = i })];
    }
}
