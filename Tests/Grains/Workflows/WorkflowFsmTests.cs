using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Workflows;

namespace OmniBridge.Tests.Grains.Workflows;

/// <summary>The state machine of docs/architecture.md, "Workflows", move by move: every pair of states is either allowed or refused.</summary>
public sealed class WorkflowFsmTests
{
    static readonly (WorkflowPhase From, WorkflowPhase To)[] Allowed =
    [
        (WorkflowPhase.None, WorkflowPhase.Pending),
        (WorkflowPhase.Pending, WorkflowPhase.Processing),
        (WorkflowPhase.Pending, WorkflowPhase.Failed),
        (WorkflowPhase.Processing, WorkflowPhase.Completed),
        (WorkflowPhase.Processing, WorkflowPhase.Failed),
    ];

    public static IEnumerable<object[]> EveryPair() =>
        from source in Enum.GetValues<WorkflowPhase>()
        from target in Enum.GetValues<WorkflowPhase>()
        select new object[] { source, target, Allowed.Contains((source, target)) };

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_move_is_allowed_only_when_the_table_lists_it(WorkflowPhase from, WorkflowPhase to, bool allowed)
    {
        Assert.Equal(allowed, WorkflowFsm.CanMove(from, to));
        if (allowed) WorkflowFsm.RequireMove(from, to);
        else Assert.Throws<InvalidOperationException>(() => WorkflowFsm.RequireMove(from, to));
    }

    [Theory]
    [InlineData(WorkflowPhase.Completed, true)]
    [InlineData(WorkflowPhase.Failed, true)]
    [InlineData(WorkflowPhase.Pending, false)]
    [InlineData(WorkflowPhase.Processing, false)]
    [InlineData(WorkflowPhase.None, false)]
    public void Completed_and_failed_are_final_and_lead_nowhere(WorkflowPhase phase, bool final)
    {
        Assert.Equal(final, WorkflowFsm.IsFinal(phase));
        if (final) Assert.All(Enum.GetValues<WorkflowPhase>(), to => Assert.False(WorkflowFsm.CanMove(phase, to)));
    }

    [Fact]
    public void Back_off_doubles_from_one_second_and_stops_at_ten()
    {
        var options = new WorkflowOptions();
        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(0, 6).Select(r => options.Backoff(r).TotalSeconds));
    }
}
