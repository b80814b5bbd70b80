using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster;

/// <summary>Workflows through the grain interface, on two silos, with the store and the intelligence service scripted.</summary>
public sealed class WorkflowGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    static string Ns() => "flow.t" + Guid.NewGuid().ToString("N")[..10];

    internal static WorkflowRequest Request(string ns, params string[] texts) => new()
    {
        Namespace = ns,
        Items = [.. texts.Select(t => new StampCommand { Namespace = ns, Text = t })],
    };

    Task<WorkflowView> RunAsync(WorkflowRequest request) => RunAsync(fixture.Grains, request);

    /// <summary>Starts a workflow and waits for its end.</summary>
    internal static async Task<WorkflowView> RunAsync(IGrainFactory grains, WorkflowRequest request)
    {
        var workflow = grains.GetGrain<IWorkflowGrain>(Guid.NewGuid());
        var started = await workflow.StartAsync(request);
        Assert.Equal(WorkflowPhase.Pending, started.State);
        WorkflowView view = started;
        await Eventually.TrueAsync(async () => (view = await workflow.GetAsync()).State is WorkflowPhase.Completed or WorkflowPhase.Failed,
            "the workflow ends", TimeSpan.FromSeconds(20));
        return view;
    }

    [Fact]
    public async Task A_workflow_runs_every_step_and_returns_one_record_per_item_in_order()
    {
        var ns = Ns();
        var view = await RunAsync(Request(ns, "alpha", "beta", "alpha"));

        Assert.Equal(WorkflowPhase.Completed, view.State);
        Assert.Equal(["validate_input", "hash", "intelligence", "persist_stamps", "publish_events", "complete"], view.Steps.Select(s => s.Name));
        Assert.Equal(["succeeded", "succeeded", "skipped", "succeeded", "succeeded", "succeeded"], view.Steps.Select(s => s.Status));
        Assert.All(view.Steps, s => Assert.NotNull(s.StartedAt));
        Assert.Equal([(WorkflowPhase.Pending, WorkflowPhase.Processing), (WorkflowPhase.Processing, WorkflowPhase.Completed)], view.History.Select(t => (t.From, t.To)));
        var results = view.Results!;
        Assert.Equal(3, results.Count);
        Assert.Equal(CanonicalContent.HashOf("beta"), results[1].FileHash);
        Assert.Equal(results[0].StampId, results[2].StampId);   // the same content is one record
        Assert.All(results, r => Assert.Equal(view.WorkflowId, r.WorkflowId));

        var journal = await fixture.Journal.ReadAsync(view.WorkflowId);
        Assert.Equal(WorkflowPhase.Completed, journal!.State);
        Assert.Equal(2, journal.History.Count);
    }

    [Fact]
    public async Task Starting_again_returns_the_workflow_that_exists()
    {
        var ns = Ns();
        var workflow = fixture.Grains.GetGrain<IWorkflowGrain>(Guid.NewGuid());
        var first = await workflow.StartAsync(Request(ns, "one"));
        var again = await workflow.StartAsync(Request(ns, "two", "three"));

        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal(1, again.ItemCount);
    }

    [Fact]
    public async Task A_workflow_never_started_reads_as_none()
    {
        Assert.Equal(WorkflowPhase.None, (await fixture.Grains.GetGrain<IWorkflowGrain>(Guid.NewGuid()).GetAsync()).State);
    }

    [Fact]
    public async Task An_item_that_cannot_be_stamped_fails_the_workflow_from_pending_and_stores_nothing()
    {
        var ns = Ns();
        var request = Request(ns, "fine") with
        {
            Items = [new StampCommand { Namespace = ns, Text = "fine" }, new StampCommand { Namespace = ns, Text = "a <!-- ONEX_METADATA_START --> b", Form = StampType.Rich }],
        };
        var view = await RunAsync(request);

        Assert.Equal(WorkflowPhase.Failed, view.State);
        Assert.Equal("VALIDATION_ERROR", view.ErrorCode);
        Assert.Contains("item 1", view.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([(WorkflowPhase.Pending, WorkflowPhase.Failed)], view.History.Select(t => (t.From, t.To)));
        Assert.Equal("failed", view.Steps[0].Status);
        Assert.Null(view.Results);
        Assert.Empty((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Fact]
    public async Task A_step_that_fails_a_few_times_is_retried_with_back_off_and_the_workflow_completes()
    {
        var ns = Ns();
        fixture.Store.FailNext(ns, 2);
        var view = await RunAsync(Request(ns, "retry me"));

        Assert.Equal(WorkflowPhase.Completed, view.State);
        var persist = view.Steps.Single(s => s.Name == "persist_stamps");
        Assert.Equal(3, persist.Attempts);
        Assert.Null(persist.Error);
        Assert.Single(view.Results!);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_fails_the_workflow_after_three_retries()
    {
        var ns = Ns();
        fixture.Store.FailNext(ns, 100);
        var view = await RunAsync(Request(ns, "never"));

        Assert.Equal(WorkflowPhase.Failed, view.State);
        Assert.Equal("DEPENDENCY_UNAVAILABLE", view.ErrorCode);
        Assert.Equal(4, view.Steps.Single(s => s.Name == "persist_stamps").Attempts);
        Assert.Equal([(WorkflowPhase.Pending, WorkflowPhase.Processing), (WorkflowPhase.Processing, WorkflowPhase.Failed)], view.History.Select(t => (t.From, t.To)));
    }

    [Fact]
    public async Task Intelligence_when_asked_for_is_merged_into_each_record()
    {
        var ns = Ns();
        var view = await RunAsync(Request(ns, "think", "harder") with { EnableIntelligence = true });

        Assert.Equal(WorkflowPhase.Completed, view.State);
        Assert.Equal("succeeded", view.Steps.Single(s => s.Name == "intelligence").Status);
        Assert.Contains("\"analysis\":{\"language\":\"text\",\"index\":1}", view.Results![1].IntelligenceDataJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slow", "no answer within")]
    [InlineData("broken", "answered 500")]
    public async Task Intelligence_that_is_slow_or_broken_is_degraded_and_never_fails_the_workflow(string behaviour, string error)
    {
        var ns = Ns();
        fixture.Analyzer.Behaviour[ns] = behaviour;
        var view = await RunAsync(Request(ns, "think") with { EnableIntelligence = true });

        Assert.Equal(WorkflowPhase.Completed, view.State);
        var step = view.Steps.Single(s => s.Name == "intelligence");
        Assert.Equal("degraded", step.Status);
        Assert.Contains(error, step.Error, StringComparison.Ordinal);
        Assert.Equal("{}", view.Results![0].IntelligenceDataJson);
    }

    [Fact]
    public async Task The_namespace_reducer_counts_the_workflows_stamps_and_the_workflow()
    {
        var ns = Ns();
        await RunAsync(Request(ns, "w1", "w2"));
        await RunAsync(Request(ns, "w3"));

        var reducer = fixture.Grains.GetGrain<INamespaceReducerGrain>(ns);
        await Eventually.TrueAsync(async () => (await reducer.GetAggregatesAsync()).TotalStamps == 3, "the reducer folds three stamps");
        Assert.Equal(2, (await reducer.GetAggregatesAsync()).WorkflowsSeen);
    }

    [Fact]
    public async Task A_start_whose_first_save_failed_can_be_retried_and_runs()
    {
        var ns = Ns();
        var id = Guid.NewGuid();
        ScriptedGrainStorage.FailWhen(id, WorkflowPhase.Pending, 1);
        var workflow = fixture.Grains.GetGrain<IWorkflowGrain>(id);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => workflow.StartAsync(Request(ns, "blip")));
        Assert.Equal(WorkflowPhase.None, (await workflow.GetAsync()).State);

        await workflow.StartAsync(Request(ns, "blip"));
        await Eventually.TrueAsync(async () => (await workflow.GetAsync()).State == WorkflowPhase.Completed, "the retried start completes");
    }

    [Fact]
    public async Task A_failed_final_save_is_never_shown_and_the_reminder_finishes_the_workflow()
    {
        var ns = Ns();
        var id = Guid.NewGuid();
        ScriptedGrainStorage.FailWhen(id, WorkflowPhase.Completed, 2);
        fixture.Journal.FailWhen(id, WorkflowPhase.Completed, 2);
        var workflow = fixture.Grains.GetGrain<IWorkflowGrain>(id);
        await workflow.StartAsync(Request(ns, "almost"));

        // Until the completed state is saved, callers see the last saved state, never a completion that could be lost.
        var seen = new List<WorkflowPhase>();
        await Eventually.TrueAsync(async () =>
        {
            seen.Add((await workflow.GetAsync()).State);
            return seen[^1] == WorkflowPhase.Completed && (await fixture.Journal.ReadAsync(id))?.State == WorkflowPhase.Completed;
        }, "the reminder saves and records the completion", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(WorkflowPhase.Failed, seen);
        Assert.Single((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Fact]
    public async Task A_final_state_saved_but_not_recorded_is_recorded_by_a_later_activation()
    {
        var ns = Ns();
        var id = Guid.NewGuid();
        // The completed state is saved, but its journal record fails until the activation is gone.
        fixture.Journal.FailWhen(id, WorkflowPhase.Completed, 1_000);
        var workflow = fixture.Grains.GetGrain<IWorkflowGrain>(id);
        await workflow.StartAsync(Request(ns, "recorded later"));
        await Eventually.TrueAsync(async () => (await workflow.GetAsync()).State == WorkflowPhase.Completed, "the workflow completes");
        Assert.Equal(WorkflowPhase.Processing, (await fixture.Journal.ReadAsync(id))!.State);

        fixture.Journal.FailWhen(id, WorkflowPhase.Completed, 0);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        await Eventually.TrueAsync(async () => (await fixture.Journal.ReadAsync(id))?.State == WorkflowPhase.Completed,
            "the reminder's new activation records the completion", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_retried_start_answers_while_the_workflow_is_still_working()
    {
        var ns = Ns();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Store.Gates[ns] = gate;
        var workflow = fixture.Grains.GetGrain<IWorkflowGrain>(Guid.NewGuid());
        await workflow.StartAsync(Request(ns, "held"));
        await Eventually.TrueAsync(async () => (await workflow.GetAsync()).Steps.Single(s => s.Name == "intelligence").Status == "skipped", "the run reaches the store");

        // The store holds the run; a retried start must not wait for it.
        var again = await workflow.StartAsync(Request(ns, "held"));
        Assert.False(gate.Task.IsCompleted);
        Assert.Equal(WorkflowPhase.Processing, again.State);

        gate.SetResult();
        await Eventually.TrueAsync(async () => (await workflow.GetAsync()).State == WorkflowPhase.Completed, "the workflow completes");
    }
}
