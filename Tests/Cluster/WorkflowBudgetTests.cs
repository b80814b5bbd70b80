using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Tests.Cluster;

/// <summary>The processing budget (docs/architecture.md, "Workflows"), on a cluster of its own whose budget is short.</summary>
public sealed class WorkflowBudgetTests(TightBudgetClusterFixture fixture) : IClassFixture<TightBudgetClusterFixture>
{
    [Fact]
    public async Task Processing_longer_than_the_budget_fails_with_WORKFLOW_TIMEOUT()
    {
        var ns = "flow.budget" + Guid.NewGuid().ToString("N")[..10];
        fixture.Store.Stall[ns] = TimeSpan.FromSeconds(10);
        var view = await WorkflowGrainTests.RunAsync(fixture.Grains, WorkflowGrainTests.Request(ns, "slow"));

        Assert.Equal(WorkflowPhase.Failed, view.State);
        Assert.Equal("WORKFLOW_TIMEOUT", view.ErrorCode);
        Assert.Equal("failed", view.Steps.Single(s => s.Name == "persist_stamps").Status);
    }
}
