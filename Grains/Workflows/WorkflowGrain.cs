using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Resumption;
using Orleans.Placement;
using Orleans.Serialization;

namespace OmniBridge.Grains.Workflows;

/// <summary>
/// One stamping workflow (docs/architecture.md, "Workflows"). The grain keeps the workflow's state, its journal and its
/// resumption; the steps' bodies are <see cref="StampingSteps"/>, their retries and budget the
/// <see cref="StepRunner"/>'s. It runs its steps in the background, saving its state after each
/// step and each transition. While it is unfinished a reminder fires every few seconds: if its silo
/// dies, the reminder activates it on another silo, which resumes from the last saved step
/// (<see cref="ResumableWork"/>). Stamping is idempotent per (namespace, hash), so resuming never
/// creates a second record for an item.
/// </summary>
[PreferLocalPlacement]
[GrainType("workflow")]
public sealed partial class WorkflowGrain : Grain, IWorkflowGrain, IRemindable
{
    readonly IPersistentState<WorkflowState> state;
    readonly StampingSteps steps;
    readonly StepRunner runner;
    readonly IWorkflowJournal journal;
    readonly IEventPath events;
    readonly GrainMetrics metrics;
    readonly WorkflowOptions options;
    readonly TimeProvider clock;
    readonly DeepCopier<WorkflowState> copier;
    readonly ILogger<WorkflowGrain> log;
    readonly ResumableWork work;
    bool journalBehind;

    public WorkflowGrain(
        [PersistentState("workflow", StorageNames.Default)] IPersistentState<WorkflowState> state,
        StampingSteps steps,
        StepRunner runner,
        IWorkflowJournal journal,
        IEventPath events,
        GrainMetrics metrics,
        IOptions<WorkflowOptions> workflowOptions,
        TimeProvider clock,
        DeepCopier<WorkflowState> copier,
        ILogger<WorkflowGrain> log)
    {
        (this.state, this.steps, this.runner, this.journal, this.events, this.metrics, this.clock, this.copier, this.log) =
            (state, steps, runner, journal, events, metrics, clock, copier, log);
        options = workflowOptions.Value;
        work = new ResumableWork(this, RunAsync);
    }

    /// <summary>The state being worked on; saved (copied into the persistent state) after every step and transition.</summary>
    WorkflowState Workflow { get; set; } = new();

    /// <summary>What callers see: the state as last saved, never a step or a move that is not yet durable.</summary>
    WorkflowView saved = null!;

    Guid Id => this.GetPrimaryKey();
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Workflow = copier.Copy(state.State);
        saved = View(state.State);
        // A new activation cannot know whether its predecessor recorded the last save (a silo may
        // have died in between): record again before finishing. Recording is idempotent.
        journalBehind = state.State.Phase is not WorkflowPhase.None;
        // Activated on a new silo after its old one died (by the reminder or by a read): carry on.
        if (IsUnfinished) work.Start();
        return Task.CompletedTask;
    }

    bool IsUnfinished => state.State.Phase is not WorkflowPhase.None && !WorkflowFsm.IsFinal(state.State.Phase);

    public async Task<WorkflowView> StartAsync(WorkflowRequest request)
    {
        // A retried start must not create a second workflow: the saved state says whether we began.
        if (state.State.Phase is not WorkflowPhase.None)
        {
            // ...but it may be the retry of a start whose run never got going: make sure it runs.
            if (IsUnfinished) work.Start();
            return saved;
        }
        var items = Check(request);

        // The reminder first: once the state is saved, something must always be able to resume it.
        await Durably(() => work.KeepAliveAsync(options.ResumeEvery));
        WorkflowFsm.RequireMove(WorkflowPhase.None, WorkflowPhase.Pending);
        Workflow = new WorkflowState
        {
            Phase = WorkflowPhase.Pending,
            Namespace = request.Namespace,
            Items = items,
            ItemCount = items.Count,
            EnableIntelligence = request.EnableIntelligence,
            Steps = [.. WorkflowSteps.InOrder.Select(name => new WorkflowStep { Name = name })],
            CreatedAt = Now,
        };
        await Durably(SaveAsync);
        work.Start();
        return saved;
    }

    public Task<WorkflowView> GetAsync() => Task.FromResult(saved);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsUnfinished) work.Start();
        else await FinishAsync();
    }

    /// <summary>One run: the steps still to do from the saved state, then the end. Never throws: a failed save leaves the resumption to the reminder.</summary>
    async Task RunAsync(CancellationToken cancellationToken)
    {
        using var scope = log.BeginScope(new Dictionary<string, object> { ["workflow_id"] = Id.ToString("D") });
        try
        {
            // Always from the saved state: a run that stopped half-way (a failed save) left nothing behind.
            Workflow = copier.Copy(state.State);
            var budget = new ProcessingBudget(options.ProcessingTimeout, Workflow.ProcessingMs);
            if (await RunStepsAsync(budget) is { } failure)
            {
                Workflow.ErrorCode = failure.Code;
                Workflow.ErrorMessage = failure.Message;
                await MoveAsync(WorkflowPhase.Failed, budget);
            }
        }
        catch (Exception e)
        {
            // A save failed (the database is down): the reminder resumes from the last saved step.
            LogRunInterrupted(log, Id, e);
        }
        if (WorkflowFsm.IsFinal(state.State.Phase)) await FinishAsync();
    }

    /// <summary>The steps still to do, then completion; returns why the workflow failed, if it did.</summary>
    async Task<WorkflowFailedException?> RunStepsAsync(ProcessingBudget budget)
    {
        try
        {
            if (Workflow.Phase is WorkflowPhase.Pending)
            {
                await StepAsync(WorkflowSteps.ValidateInput, budget, _ => steps.ValidateAsync(Workflow));
                await MoveAsync(WorkflowPhase.Processing, budget);
            }
            await StepAsync(WorkflowSteps.Hash, budget, _ => steps.HashAsync(Workflow));
            await StepAsync(WorkflowSteps.Intelligence, budget, cancel => steps.AnalyzeAsync(Workflow, cancel));
            await StepAsync(WorkflowSteps.PersistStamps, budget, cancel => steps.PersistAsync(Workflow, Id, cancel));
            await StepAsync(WorkflowSteps.PublishEvents, budget, cancel => steps.PublishAsync(Workflow, cancel));
            await StepAsync(WorkflowSteps.Complete, budget, _ => Task.FromResult(WorkflowSteps.Succeeded));
            await MoveAsync(WorkflowPhase.Completed, budget);
            return null;
        }
        catch (WorkflowFailedException failure)
        {
            return failure;
        }
    }

    Task StepAsync(string name, ProcessingBudget budget, Func<CancellationToken, Task<string>> body) =>
        runner.RunAsync(Workflow, Id, name, budget, body, SaveAsync);

    /// <summary>Moves the state machine and saves before anything else can see the move.</summary>
    async Task MoveAsync(WorkflowPhase to, ProcessingBudget budget)
    {
        WorkflowFsm.RequireMove(Workflow.Phase, to);
        Workflow.History.Add(new WorkflowTransition { From = Workflow.Phase, To = to, At = Now });
        Workflow.Phase = to;
        Workflow.ProcessingMs = budget.Spent;
        if (WorkflowFsm.IsFinal(to)) Workflow.Items = [];
        await SaveAsync();
        metrics.Moved(to);
    }

    /// <summary>Saves the working state; only once it is durable do callers see it. Then records it in the journal.</summary>
    async Task SaveAsync()
    {
        var previous = state.State;
        state.State = copier.Copy(Workflow);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
        saved = View(state.State);
        await RecordAsync();
    }

    /// <summary>The journal trails the state: a failed record is retried at the next save, and at the end by the reminder.</summary>
    async Task RecordAsync()
    {
        try
        {
            await journal.RecordAsync(saved, events.WithJournal(saved));
            journalBehind = false;
        }
        catch (Exception e)
        {
            journalBehind = true;
            LogJournalBehind(log, Id, e);
        }
    }

    /// <summary>A finished workflow forgets its reminder, but only once the journal has its final state too.</summary>
    async Task FinishAsync()
    {
        if (journalBehind) await RecordAsync();
        if (journalBehind) return;
        await work.ForgetAsync();
    }

    /// <summary>
    /// Turns a failed write to grain storage or the reminder table into "retry later" for the caller.
    /// A silo that is away (the reminder service's owner of this grain's range, say) is left as it
    /// is: the caller sends the call again, and it succeeds once the cluster has noticed.
    /// </summary>
    static async Task Durably(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is not (StampCommandException or DependencyUnavailableException) && !ClusterFailures.IsTransient(e))
        {
            throw new DependencyUnavailableException("storage", "the workflow could not be saved; retry shortly");
        }
    }

    List<StampCommand> Check(WorkflowRequest request)
    {
        WorkflowRequestRules.Check(request);
        return [.. request.Items.Select(item => item with { WorkflowId = Id })];
    }

    WorkflowView View(WorkflowState workflow) => new()
    {
        WorkflowId = Id,
        Namespace = workflow.Namespace,
        State = workflow.Phase,
        ItemCount = workflow.ItemCount,
        CreatedAt = workflow.CreatedAt,
        Steps = [.. workflow.Steps.Select(s => new WorkflowStepView
        {
            Name = s.Name,
            Status = s.Status,
            StartedAt = s.StartedAt,
            DurationMs = s.DurationMs,
            Error = s.Error,
            Attempts = s.Attempts,
        })],
        History = [.. workflow.History],
        Results = workflow.Phase is WorkflowPhase.Completed ? workflow.Results : null,
        Created = workflow.Phase is WorkflowPhase.Completed ? workflow.Created : null,
        ErrorCode = workflow.ErrorCode,
        ErrorMessage = workflow.ErrorMessage,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId} stopped before it could save; its reminder resumes it")]
    static partial void LogRunInterrupted(ILogger logger, Guid workflowId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowId} could not be recorded in the journal; will retry")]
    static partial void LogJournalBehind(ILogger logger, Guid workflowId, Exception error);
}
