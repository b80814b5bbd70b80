using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster;

/// <summary>
/// docs/protocol.md, "Limits" for a grain client (another .NET app calling the grains, on a two-silo
/// cluster): the record limits hold there as over HTTP, with the same code, field and limit.
/// </summary>
public sealed class RecordLimitGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    IStampWorkerGrain Worker => fixture.Grains.GetGrain<IStampWorkerGrain>(0);

    static string Ns() => "cluster.limits.t" + Guid.NewGuid().ToString("N")[..10];

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task A_stamp_call_at_the_limit_is_stamped_and_one_past_it_is_refused_naming_the_field_and_the_limit(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();

        var at = await Worker.StampAsync(RecordLimitSamples.Command($"at the {name} limit", ns, edge.AtLimit()));
        var refused = await Assert.ThrowsAsync<StampCommandException>(() => Worker.StampAsync(RecordLimitSamples.Command($"past the {name} limit", ns, edge.Past())));

        Assert.True(at.Created);
        Assert.Equal((ErrorCodes.ValidationError, edge.Field), (refused.Code, refused.Field));
        Assert.Contains(edge.Limit, refused.Message, StringComparison.Ordinal);
        Assert.Single((await fixture.Grains.GetGrain<IStampQueryGrain>(0).ListAsync(ns, 10, null)).Records);
    }

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task A_batch_call_refuses_the_item_past_the_limit_alone(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();
        var outcomes = await Worker.StampBatchAsync(new BatchStampCommand
        {
            BatchId = Guid.NewGuid(),
            Namespace = ns,
            Items = [RecordLimitSamples.Command($"batch at the {name} limit", ns, edge.AtLimit()), RecordLimitSamples.Command($"batch past the {name} limit", ns, edge.Past())],
        });

        Assert.NotNull(outcomes[0].Outcome);
        Assert.Equal((ErrorCodes.ValidationError, edge.Field), (outcomes[1].ErrorCode, outcomes[1].ErrorField));
        Assert.Contains(edge.Limit, outcomes[1].ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task A_workflow_started_with_an_item_past_the_limit_is_refused_at_the_start(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();
        var id = Guid.NewGuid();

        var refused = await Assert.ThrowsAsync<StampCommandException>(() => fixture.Grains.GetGrain<IWorkflowGrain>(id).StartAsync(new WorkflowRequest
        {
            Namespace = ns,
            Items = [RecordLimitSamples.Command($"workflow past the {name} limit", ns, edge.Past())],
        }));

        Assert.Equal((ErrorCodes.ValidationError, "items[0]." + edge.Field), (refused.Code, refused.Field));
        Assert.Equal(WorkflowPhase.None, (await fixture.Grains.GetGrain<IWorkflowGrain>(id).GetAsync()).State);
    }
}
