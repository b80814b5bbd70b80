using System.Collections.Frozen;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// The orchestrator's state machine (docs/architecture.md, "Workflows"): pending, then processing, then completed or
/// failed; a pending workflow may also fail outright. Completed and failed are final. A table, so
/// every legal move is listed in one place and everything else is refused.
/// </summary>
public static class WorkflowFsm
{
    static readonly FrozenDictionary<WorkflowPhase, WorkflowPhase[]> Allowed = new Dictionary<WorkflowPhase, WorkflowPhase[]>
    {
        [WorkflowPhase.None] = [WorkflowPhase.Pending],
        [WorkflowPhase.Pending] = [WorkflowPhase.Processing, WorkflowPhase.Failed],
        [WorkflowPhase.Processing] = [WorkflowPhase.Completed, WorkflowPhase.Failed],
    }.ToFrozenDictionary();

    public static bool CanMove(WorkflowPhase from, WorkflowPhase to) => Allowed.TryGetValue(from, out var next) && next.Contains(to);

    public static bool IsFinal(WorkflowPhase phase) => phase is WorkflowPhase.Completed or WorkflowPhase.Failed;

    /// <exception cref="InvalidOperationException">The move is not in the table.</exception>
    public static void RequireMove(WorkflowPhase from, WorkflowPhase to)
    {
        if (!CanMove(from, to)) throw new InvalidOperationException($"a workflow cannot move from {from} to {to}");
    }
}
